import Button from "antd/es/button";
import Card from "antd/es/card";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Select from "antd/es/select";
import Space from "antd/es/space";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { courtName, hasRole, useCourts, useMe } from "../../api/queries";
import { CourtSelect } from "../../components/CourtSelect";
import { Money, PageHeader, TrafficLight } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { isZero } from "../../lib/money";
import { CursorPager, useCursorPages } from "../../lib/paging";

type Filters = { search?: string; status?: "open" | "closed"; courtId?: string };

/** A search that looks like a case number — "(2024)湘1129执123号" — goes to caseNumber, anything else to q (party name). */
function looksLikeCaseNumber(s: string): boolean {
  return /[()（）]/.test(s) || /执/.test(s) || /^[0-9]{4}/.test(s);
}

export default function CasesPage() {
  const me = useMe().data;
  const courts = useCourts().data;
  const navigate = useNavigate();
  const [filters, setFilters] = useState<Filters>({ status: "open" });
  const pages = useCursorPages<Schemas["Case"]>(["cases", filters], async (cursor, limit) => {
    const s = filters.search?.trim();
    const query = {
      limit,
      cursor,
      status: filters.status,
      courtId: filters.courtId,
      ...(s ? (looksLikeCaseNumber(s) ? { caseNumber: s } : { q: s }) : {}),
    };
    return unwrap(await api.GET("/v1/cases", { params: { query } }));
  });

  return (
    <div>
      <PageHeader
        title="案件"
        sub="Cases — 逾期案款以红色标出"
        extra={hasRole(me, "clerk") ? <Button type="primary" onClick={() => navigate("/cases/new")}>新建案件</Button> : null}
      />
      <Card>
        <Form layout="inline" className="filters" onFinish={(v: Filters) => setFilters(v)} initialValues={filters}>
          <Form.Item name="search" label="搜索">
            <Input placeholder="案号，或当事人姓名/名称" allowClear style={{ width: 280 }} autoFocus />
          </Form.Item>
          <Form.Item name="status" label="状态">
            <Select allowClear placeholder="全部" style={{ width: 110 }} options={[{ value: "open", label: "在办" }, { value: "closed", label: "已结" }]} />
          </Form.Item>
          <Form.Item name="courtId" label="法院">
            <CourtSelect allowAll />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit" type="primary">查询</Button>
          </Form.Item>
        </Form>
        <ProblemAlert error={pages.query.error} />
        <Table<Schemas["Case"]>
          rowKey="id"
          size="middle"
          loading={pages.loading}
          dataSource={pages.rows}
          pagination={false}
          rowClassName={(c) => (isZero(c.overdueAmount) ? "" : "row-overdue")}
          onRow={(c) => ({ onDoubleClick: () => navigate(`/cases/${c.id}`) })}
          columns={[
            { title: "案号", dataIndex: "caseNumber", render: (v: string, c) => <Link to={`/cases/${c.id}`}>{v}</Link> },
            { title: "案由", dataIndex: "cause", ellipsis: true },
            { title: "当事人", render: (_, c) => c.parties.map((p) => <Tag key={p.id} color={p.role === "applicant" ? "blue" : "orange"}>{p.name}</Tag>) },
            { title: "法院", dataIndex: "courtId", render: (v: string) => courtName(courts, v) },
            { title: "在账款", align: "right", render: (_, c) => <Money value={c.balances.held} /> },
            { title: "可发放", align: "right", render: (_, c) => <Money value={c.balances.available} /> },
            {
              title: "发放期限",
              render: (_, c) => (isZero(c.overdueAmount) ? (isZero(c.balances.held) ? <TrafficLight light="green" text="无在账款" /> : <TrafficLight light="green" text="未逾期" />) : <Space><TrafficLight light="red" /><Money value={c.overdueAmount} danger /></Space>),
            },
            { title: "状态", dataIndex: "status", render: (v: string) => (v === "open" ? <Tag color="processing">在办</Tag> : <Tag>已结</Tag>) },
          ]}
        />
        <CursorPager pages={pages as never} />
      </Card>
    </div>
  );
}
