import Card from "antd/es/card";
import Form from "antd/es/form";
import Select from "antd/es/select";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import Button from "antd/es/button";
import { useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { courtName, useCourts } from "../../api/queries";
import { CourtSelect } from "../../components/CourtSelect";
import { Money, PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { formatTimestamp } from "../../lib/dates";
import { BATCH_STATUS, BATCH_STATUS_COLOR } from "../../lib/labels";
import { CursorPager, useCursorPages } from "../../lib/paging";

type Status = Schemas["PayoutBatchStatus"];

/** /finance: the approved batches waiting to be paid; /batches: every batch, filtered by status. */
export default function BatchesPage() {
  const toPay = useLocation().pathname === "/finance";
  const courts = useCourts().data;
  const navigate = useNavigate();
  const [filters, setFilters] = useState<{ status?: Status; courtId?: string }>({});
  const status = toPay ? "approved" : filters.status;
  const pages = useCursorPages<Schemas["PayoutBatchSummary"]>(["batches", { status, courtId: filters.courtId }], async (cursor, limit) =>
    unwrap(await api.GET("/v1/payout-batches", { params: { query: { cursor, limit, status, courtId: filters.courtId } } })),
  );
  return (
    <div>
      <PageHeader title={toPay ? "待支付批次" : "发放批次"} sub={toPay ? "Approved batches to pay: download the payment file, then record the bank's outcome" : "Payout batches"} />
      <Card>
        <Form layout="inline" className="filters" onValuesChange={(_, all) => setFilters(all)} key={String(toPay)}>
          {toPay ? null : (
            <Form.Item name="status" label="状态">
              <Select allowClear placeholder="全部" style={{ width: 150 }} options={(Object.keys(BATCH_STATUS) as Status[]).map((s) => ({ value: s, label: BATCH_STATUS[s] }))} />
            </Form.Item>
          )}
          <Form.Item name="courtId" label="法院">
            <CourtSelect allowAll />
          </Form.Item>
        </Form>
        <ProblemAlert error={pages.query.error} />
        <Table<Schemas["PayoutBatchSummary"]>
          rowKey="id"
          size="middle"
          loading={pages.loading}
          pagination={false}
          dataSource={pages.rows}
          onRow={(b) => ({ onDoubleClick: () => navigate(`/batches/${b.id}`) })}
          columns={[
            { title: "批次", dataIndex: "id", render: (v: string) => <Link to={`/batches/${v}`}>{v.slice(0, 8)}</Link> },
            { title: "法院", dataIndex: "courtId", render: (v: string) => courtName(courts, v) },
            { title: "状态", dataIndex: "status", render: (s: Status) => <Tag color={BATCH_STATUS_COLOR[s]}>{BATCH_STATUS[s]}</Tag> },
            { title: "笔数", render: (_, b) => b.totals.items },
            { title: "案件数", render: (_, b) => b.totals.cases },
            { title: "金额", align: "right", render: (_, b) => <Money value={b.totals.amount} /> },
            { title: "备注", dataIndex: "note", ellipsis: true },
            { title: "创建时间", dataIndex: "createdAt", render: (v: string) => formatTimestamp(v) },
            { title: "支付日期", dataIndex: "paidOn", render: (v: string | null) => v ?? "—" },
            { title: "", render: (_, b) => <Button size="small" onClick={() => navigate(`/batches/${b.id}`)}>{toPay ? "办理支付" : "查看"}</Button> },
          ]}
        />
        <CursorPager pages={pages as never} />
      </Card>
    </div>
  );
}
