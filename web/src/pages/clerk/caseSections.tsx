import Button from "antd/es/button";
import Card from "antd/es/card";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Popconfirm from "antd/es/popconfirm";
import Space from "antd/es/space";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import Typography from "antd/es/typography";
import { useState } from "react";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ActionModal } from "../../components/ActionModal";
import { ProblemAlert } from "../../components/Problem";
import { formatTimestamp } from "../../lib/dates";
import { AGENT_STATUS, AUDIT_ACTION } from "../../lib/labels";
import { CursorPager, useCursorPages } from "../../lib/paging";

type Agent = Schemas["Agent"];
type AuditEvent = Schemas["AuditEvent"];

const STATUS_COLOR: Record<Agent["status"], string> = { pending: "processing", approved: "success", rejected: "default" };

/** The agents of a case's parties; an approver approves or rejects them here or in the queue. */
export function AgentsTable({ rows, parties, canDecide, onDone, loading }: {
  rows: Agent[];
  parties?: Schemas["Party"][];
  canDecide: boolean;
  onDone: (message: string) => void;
  loading?: boolean;
}) {
  const [error, setError] = useState<unknown>(null);
  const [rejecting, setRejecting] = useState<Agent | null>(null);
  const approve = async (a: Agent) => {
    setError(null);
    try {
      unwrap(await api.POST("/v1/agents/{id}/approve", { params: { path: { id: a.id } } }));
      onDone(`已批准代理人 ${a.name}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <ProblemAlert error={error} />
      <Table<Agent>
        rowKey="id"
        size="small"
        pagination={false}
        loading={loading}
        dataSource={rows}
        locale={{ emptyText: "没有登记代理人" }}
        columns={[
          { title: "代理人", dataIndex: "name", render: (v: string, a) => <span>{v}{a.lawFirm ? <Typography.Text type="secondary"> · {a.lawFirm}</Typography.Text> : null}</span> },
          ...(parties ? [{ title: "被代理人", render: (_: unknown, a: Agent) => parties.find((p) => p.id === a.partyId)?.name ?? "—" }] : []),
          { title: "授权委托书", render: (_, a) => `${a.authorityDocument.number}（${a.authorityDocument.signedOn}）` },
          { title: "特别授权", dataIndex: "specialAuthority", render: (v: boolean) => (v ? <Tag color="green">可代领执行款</Tag> : <Tag>无代领权限</Tag>) },
          { title: "收款账户", render: (_, a) => (a.bankAccount ? `${a.bankAccount.accountName} · ${a.bankAccount.accountNumberMasked}` : "—") },
          { title: "状态", dataIndex: "status", render: (s: Agent["status"], a) => <Tag color={STATUS_COLOR[s]} title={a.rejectReason ?? undefined}>{AGENT_STATUS[s]}</Tag> },
          {
            title: "",
            render: (_, a) =>
              canDecide && a.status === "pending" ? (
                <Space>
                  <Popconfirm title="已核对授权委托书，批准该代理人？" okText="批准" cancelText="取消" onConfirm={() => approve(a)}>
                    <Button size="small" type="primary">批准</Button>
                  </Popconfirm>
                  <Button size="small" danger onClick={() => setRejecting(a)}>驳回</Button>
                </Space>
              ) : null,
          },
        ]}
      />
      {rejecting ? (
        <ActionModal<{ reason: string }>
          name="reject-agent"
          open
          danger
          title={`驳回代理人 · ${rejecting.name}`}
          submitText="驳回"
          onClose={() => setRejecting(null)}
          onSubmit={async (v) => {
            unwrap(await api.POST("/v1/agents/{id}/reject", { params: { path: { id: rejecting.id } }, body: { reason: v.reason.trim() } }));
            onDone(`已驳回代理人 ${rejecting.name}`);
          }}
        >
          <Form.Item name="reason" label="驳回理由" rules={[{ required: true, whitespace: true, message: "请填写理由" }]}>
            <Input.TextArea rows={3} autoFocus maxLength={1000} />
          </Form.Item>
        </ActionModal>
      ) : null}
    </>
  );
}

/** What an event changed, in one line: the correction's fields before → after, or its reason. */
function eventSummary(e: AuditEvent): string {
  const changes = e.data.changes as Record<string, { before: unknown; after: unknown }> | undefined;
  const parts: string[] = [];
  if (changes) for (const [k, v] of Object.entries(changes)) parts.push(`${k}: ${String(v.before ?? "—")} → ${String(v.after ?? "—")}`);
  if (typeof e.data.reason === "string") parts.push(`原因：${e.data.reason}`);
  if (typeof e.data.amount === "string") parts.push(`金额 ${e.data.amount}`);
  return parts.join("；");
}

/** 案件历史: GET /v1/cases/{id}/history, oldest first. */
export function CaseHistoryCard({ caseId }: { caseId: string }) {
  const history = useCursorPages<AuditEvent>(["case-history", caseId], async (cursor, limit) =>
    unwrap(await api.GET("/v1/cases/{id}/history", { params: { path: { id: caseId }, query: { cursor, limit } } })), 50);
  return (
    <Card title="案件历史（审计日志）" style={{ marginTop: 16 }} data-testid="case-history">
      <ProblemAlert error={history.query.error} />
      <Table<AuditEvent>
        rowKey="seq"
        size="small"
        pagination={false}
        loading={history.loading}
        dataSource={history.rows}
        columns={[
          { title: "序号", dataIndex: "seq", width: 80 },
          { title: "时间", dataIndex: "at", width: 170, render: (v: string) => formatTimestamp(v) },
          { title: "事项", dataIndex: "action", render: (a: string) => AUDIT_ACTION[a] ?? a },
          { title: "内容", render: (_, e) => eventSummary(e) },
        ]}
      />
      <CursorPager pages={history as never} />
    </Card>
  );
}
