import { useMutation } from "@tanstack/react-query";
import Alert from "antd/es/alert";
import Button from "antd/es/button";
import Card from "antd/es/card";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Table from "antd/es/table";
import Typography from "antd/es/typography";
import { useState } from "react";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { CourtSelect } from "../../components/CourtSelect";
import { courtName, useCourts } from "../../api/queries";
import { PageHeader, PrintButton } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { formatTimestamp } from "../../lib/dates";
import { CursorPager, useCursorPages } from "../../lib/paging";

export default function AuditPage() {
  const [filters, setFilters] = useState<{ entityType?: string; entityId?: string; courtId?: string }>({});
  const pages = useCursorPages<Schemas["AuditEvent"]>(["audit", filters], async (cursor, limit) => unwrap(await api.GET("/v1/audit-events", { params: { query: { ...filters, cursor, limit } } })), 50);
  const [verifyCourt, setVerifyCourt] = useState<string | undefined>();
  const courts = useCourts();
  const verify = useMutation({ mutationFn: async (courtId: string | undefined) => unwrap(await api.GET("/v1/audit-events/verify", { params: { query: { courtId } } })) });
  const v = verify.data;
  const chainName = (c: { courtId: string | null }) => (c.courtId ? courtName(courts.data, c.courtId) : "系统（用户、日历）");
  return (
    <div>
      <PageHeader
        title="审计日志"
        sub="Every change, hash-chained, one chain per court; verify recomputes the chains"
        extra={
          <>
            <CourtSelect allowAll value={verifyCourt} onChange={setVerifyCourt} />
            <Button type="primary" loading={verify.isPending} onClick={() => verify.mutate(verifyCourt)}>校验哈希链</Button>
            <PrintButton />
          </>
        }
      />
      <ProblemAlert error={verify.error} />
      {v ? (
        v.ok ? (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="verify-result"
            title={`哈希链完整：已校验 ${v.events} 条记录，未发现篡改。The chain is intact.`}
            description={
              <ul style={{ margin: 0, paddingLeft: 20 }} data-testid="chain-heads">
                {v.chains.map((c) => (
                  <li key={c.chain} data-chain={c.chain}>
                    {chainName(c)}：{c.events} 条，链头哈希 Head hash <Typography.Text code copyable data-testid="head-hash">{c.head}</Typography.Text>
                  </li>
                ))}
              </ul>
            }
          />
        ) : (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} data-testid="verify-result" title={`哈希链断裂：${v.chain === "global" ? "历史总链" : v.chain === "system" ? "系统链" : courtName(courts.data, v.chain)}第 ${v.brokenAt} 条记录的哈希或链接不符，记录可能被改动。The chain is broken.`} />
        )
      ) : null}
      <Card>
        <Form layout="inline" className="filters no-print" onFinish={(f) => setFilters({ entityType: f.entityType?.trim() || undefined, entityId: f.entityId?.trim() || undefined, courtId: f.courtId })}>
          <Form.Item name="entityType" label="对象类型"><Input placeholder="如 receipt、payout_batch" allowClear /></Form.Item>
          <Form.Item name="entityId" label="对象编号"><Input allowClear /></Form.Item>
          <Form.Item name="courtId" label="法院"><CourtSelect allowAll /></Form.Item>
          <Form.Item><Button htmlType="submit">查询</Button></Form.Item>
        </Form>
        <ProblemAlert error={pages.query.error} />
        <Table<Schemas["AuditEvent"]>
          rowKey="seq"
          size="small"
          loading={pages.loading}
          pagination={false}
          dataSource={pages.rows}
          expandable={{ expandedRowRender: (e) => <pre style={{ margin: 0, whiteSpace: "pre-wrap" }}>{JSON.stringify(e.data, null, 2)}</pre> }}
          columns={[
            { title: "序号", dataIndex: "seq", width: 80 },
            { title: "时间", dataIndex: "at", render: (v: string) => formatTimestamp(v) },
            { title: "操作", dataIndex: "action" },
            { title: "对象", render: (_, e) => `${e.entityType} ${e.entityId.slice(0, 8)}` },
            { title: "操作人", dataIndex: "actorId", render: (v: string | null) => (v ? v.slice(0, 8) : "系统") },
            { title: "哈希", dataIndex: "hash", render: (h: string) => <Typography.Text code>{h.slice(0, 12)}…</Typography.Text> },
          ]}
        />
        <CursorPager pages={pages as never} />
      </Card>
    </div>
  );
}
