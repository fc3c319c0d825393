import Card from "antd/es/card";
import Form from "antd/es/form";
import InputNumber from "antd/es/input-number";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import { useState } from "react";
import { Link } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { CourtSelect } from "../../components/CourtSelect";
import { Label, Money, PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { ASSET_TYPE, FREEZE_STATUS } from "../../lib/labels";
import { CursorPager, useCursorPages } from "../../lib/paging";

/** Freezes about to lapse: GET /v1/freezes?expiringWithinDays=30, soonest first. */
export default function FreezesPage() {
  const [days, setDays] = useState(30);
  const [courtId, setCourtId] = useState<string | undefined>();
  const pages = useCursorPages<Schemas["Freeze"]>(["freezes", { days, courtId }], async (cursor, limit) =>
    unwrap(await api.GET("/v1/freezes", { params: { query: { expiringWithinDays: days, courtId, cursor, limit } } })),
  );
  return (
    <div>
      <PageHeader title="冻结即将到期" sub="Freezes about to lapse — renew before expiry, or the freeze lapses" />
      <Card>
        <Form layout="inline" className="filters">
          <Form.Item label="到期天数内">
            <InputNumber min={0} max={3650} precision={0} value={days} onChange={(v) => setDays(v ?? 30)} />
          </Form.Item>
          <Form.Item label="法院">
            <CourtSelect allowAll value={courtId} onChange={setCourtId} />
          </Form.Item>
        </Form>
        <ProblemAlert error={pages.query.error} />
        <Table<Schemas["Freeze"]>
          rowKey="id"
          size="middle"
          loading={pages.loading}
          pagination={false}
          dataSource={pages.rows}
          rowClassName={(f) => (f.daysUntilExpiry !== null && f.daysUntilExpiry <= 7 ? "row-overdue" : "")}
          columns={[
            { title: "案号", dataIndex: "caseNumber", render: (v: string, f) => <Link to={`/cases/${f.caseId}`}>{v}</Link> },
            { title: "被执行人", dataIndex: "partyName" },
            { title: "财产", render: (_, f) => `${ASSET_TYPE[f.assetType]} · ${f.description}` },
            { title: "协助机关", dataIndex: "institution", render: (v: string | null) => v ?? "—" },
            { title: "冻结金额", align: "right", render: (_, f) => (f.amount ? <Money value={f.amount} /> : "—") },
            { title: "冻结日", dataIndex: "frozenOn" },
            { title: "到期日", dataIndex: "expiresOn", render: (v: string, f) => <span style={{ color: (f.daysUntilExpiry ?? 99) <= 7 ? "#cf1322" : "#d46b08", fontWeight: 600 }}>{v}</span> },
            { title: "剩余天数", dataIndex: "daysUntilExpiry", render: (d: number | null) => (d === null ? "—" : <Tag color={d <= 7 ? "red" : "orange"}>{d} 天</Tag>) },
            { title: "可续冻至", dataIndex: "maxRenewalExpiresOn", render: (v: string | null) => v ?? "不可续冻" },
            { title: "状态", dataIndex: "status", render: (s: Schemas["FreezeStatus"]) => <Label value={s} labels={FREEZE_STATUS} /> },
          ]}
        />
        <CursorPager pages={pages as never} />
      </Card>
    </div>
  );
}
