import Button from "antd/es/button";
import Card from "antd/es/card";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Select from "antd/es/select";
import Table from "antd/es/table";
import Tabs from "antd/es/tabs";
import Tag from "antd/es/tag";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { Label, PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { daysUntil } from "../../lib/dates";
import { LISTING_GROUND, LISTING_STATUS } from "../../lib/labels";
import { CursorPager, useCursorPages } from "../../lib/paging";

type Listing = Schemas["Listing"];

function ListingTable({ query }: { query: { status?: Schemas["ListingStatus"]; removalDue?: "true"; removalOverdue?: "true"; name?: string } }) {
  const navigate = useNavigate();
  const pages = useCursorPages<Listing>(["listings", query], async (cursor, limit) => unwrap(await api.GET("/v1/listings", { params: { query: { ...query, cursor, limit } } })));
  return (
    <>
      <ProblemAlert error={pages.query.error} />
      <Table<Listing>
        rowKey="id"
        size="middle"
        loading={pages.loading}
        pagination={false}
        dataSource={pages.rows}
        rowClassName={(l) => (l.removalOverdue ? "row-overdue" : "")}
        onRow={(l) => ({ onDoubleClick: () => navigate(`/listings/${l.id}`) })}
        columns={[
          { title: "被执行人", dataIndex: "debtorName", render: (v: string, l) => <Link to={`/listings/${l.id}`}>{v}</Link> },
          { title: "证件号码", dataIndex: "idNumberMasked", render: (v: string | null) => v ?? "—" },
          { title: "案号", dataIndex: "caseNumber" },
          { title: "纳入情形", dataIndex: "ground", render: (g: Schemas["ListingGround"]) => LISTING_GROUND[g] },
          { title: "决定日", dataIndex: "decidedOn" },
          { title: "状态", dataIndex: "status", render: (s: Schemas["ListingStatus"]) => <Label value={s} labels={LISTING_STATUS} color={s === "active" ? "red" : undefined} /> },
          {
            title: "应删除日",
            render: (_, l) => {
              if (!l.removalDueBy) return "—";
              const d = daysUntil(l.removalDueBy);
              return (
                <span style={{ color: l.removalOverdue ? "#cf1322" : d <= 1 ? "#d46b08" : undefined, fontWeight: l.removalOverdue ? 600 : undefined }}>
                  {l.removalDueBy}
                  {l.removalOverdue ? `（已逾期 ${-d} 天）` : l.removalCompletedOn ? "" : `（剩 ${d} 天）`}
                </span>
              );
            },
          },
          { title: "待撤回公布", render: (_, l) => { const n = l.publications.filter((p) => p.awaitingWithdrawal).length; return n ? <Tag color="red">{n}</Tag> : "—"; } },
          { title: "待审异议", render: (_, l) => { const n = l.objections.filter((o) => o.status === "pending").length; return n ? <Tag color={l.objections.some((o) => o.reviewOverdue) ? "red" : "gold"}>{n}</Tag> : "—"; } },
        ]}
      />
      <CursorPager pages={pages as never} />
    </>
  );
}

export default function ListingsPage() {
  const [filters, setFilters] = useState<{ status?: Schemas["ListingStatus"]; name?: string }>({});
  return (
    <div>
      <PageHeader title="失信名单" sub="逾期未删除的排在最前 · Listings, overdue removals first" />
      <Card>
        <Tabs
          defaultActiveKey="overdue"
          items={[
            { key: "overdue", label: <span style={{ color: "#cf1322" }}>逾期未删除</span>, children: <ListingTable query={{ removalOverdue: "true" }} /> },
            { key: "due", label: "待删除（已到删除条件）", children: <ListingTable query={{ removalDue: "true" }} /> },
            {
              key: "all",
              label: "全部名单",
              children: (
                <>
                  <Form layout="inline" className="filters" onFinish={(v) => setFilters({ status: v.status, name: v.name?.trim() || undefined })}>
                    <Form.Item name="name" label="被执行人">
                      <Input placeholder="姓名或名称（开头）" allowClear />
                    </Form.Item>
                    <Form.Item name="status" label="状态">
                      <Select allowClear placeholder="全部" style={{ width: 140 }} options={(Object.keys(LISTING_STATUS) as Schemas["ListingStatus"][]).map((s) => ({ value: s, label: LISTING_STATUS[s] }))} />
                    </Form.Item>
                    <Form.Item>
                      <Button type="primary" htmlType="submit">查询</Button>
                    </Form.Item>
                  </Form>
                  <ListingTable query={filters} />
                </>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
