import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import App from "antd/es/app";
import Button from "antd/es/button";
import Card from "antd/es/card";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Popconfirm from "antd/es/popconfirm";
import Space from "antd/es/space";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import Tooltip from "antd/es/tooltip";
import { useState } from "react";
import { Link } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { courtName, useCourts } from "../../api/queries";
import { ActionModal } from "../../components/ActionModal";
import { Money, PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { formatTimestamp } from "../../lib/dates";
import { DEFERRAL_REASON, LISTING_GROUND, REMOVAL_GROUND } from "../../lib/labels";
import { RejectModal } from "../finance/batchModals";
import { AgentsQueue } from "./AgentsQueue";
import { NameCheckTag } from "./NameCheckTag";

type Queue = Schemas["ApprovalQueue"];
type Rejecting =
  | { kind: "batch"; batch: Schemas["PayoutBatch"] }
  | { kind: "removal"; listing: Schemas["Listing"] }
  | { kind: "deferral"; deferral: Schemas["Deferral"] }
  | { kind: "bank"; change: Schemas["BankAccountChange"] };

/** 四眼原则: one's own requests are shown but cannot be decided. */
function MineTag({ mine }: { mine: boolean }) {
  return mine ? <Tooltip title="您发起、提交或已审批过此事项，须由他人审批"><Tag>本人事项</Tag></Tooltip> : null;
}

/**
 * The approver's queue, from GET /v1/approvals: batches by the level they wait for (审批层级),
 * deferrals, bank-account changes and listing removals, each approved or rejected with a reason.
 */
export default function ApprovalsPage() {
  const courts = useCourts().data;
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [rejecting, setRejecting] = useState<Rejecting | null>(null);
  const queue = useQuery({ queryKey: ["approvals"], queryFn: async (): Promise<Queue> => unwrap(await api.GET("/v1/approvals", { params: { query: {} } })) });
  const refresh = (text: string) => {
    message.success(text);
    for (const key of ["approvals", "batches", "listings", "deferrals"]) qc.invalidateQueries({ queryKey: [key] });
  };
  const approve = useMutation({
    mutationFn: async (a: { kind: "batch" | "removal" | "deferral" | "bank"; id: string }): Promise<string> => {
      const path = { params: { path: { id: a.id } } };
      if (a.kind === "batch") {
        const b = unwrap(await api.POST("/v1/payout-batches/{id}/approve", { ...path, body: {} }));
        return b.status === "approved" ? "批次已批准，转财务支付" : `已完成第 ${b.approvals.length} 级审批，待第 ${b.approvals.length + 1} 级审批`;
      }
      if (a.kind === "removal") {
        unwrap(await api.POST("/v1/listings/{id}/removal/approve", path));
        return "已批准删除失信信息，请及时撤回各渠道公布";
      }
      if (a.kind === "deferral") {
        const d = unwrap(await api.POST("/v1/deferrals/{id}/approve", path));
        return `延缓发放已批准（自 ${d.requestedOn} 至 ${d.until}）`;
      }
      unwrap(await api.POST("/v1/bank-account-changes/{id}/approve", path));
      return "收款账户变更已批准，已生效";
    },
    onSuccess: refresh,
  });
  const openBatchReject = useMutation({
    mutationFn: async (id: string) => unwrap(await api.GET("/v1/payout-batches/{id}", { params: { path: { id } } })),
    onSuccess: (batch) => setRejecting({ kind: "batch", batch }),
  });
  const q = queue.data;
  const approveButton = (kind: "batch" | "removal" | "deferral" | "bank", id: string, mine: boolean, title: string) => (
    <Popconfirm title={title} okText="批准" cancelText="取消" onConfirm={() => approve.mutate({ kind, id })} disabled={mine}>
      <Button size="small" type="primary" disabled={mine}>批准</Button>
    </Popconfirm>
  );

  return (
    <div>
      <PageHeader title="审批待办" sub="Everything waiting for an approver. 四眼原则：不能审批自己发起或提交的事项；分级审批的每一级须由不同的人审批。" />
      <ProblemAlert error={queue.error ?? approve.error ?? openBatchReject.error} />

      <Card title={<span>待审批发放批次 <Tag color="processing">{q?.payoutBatches.length ?? 0}</Tag></span>}>
        <Table<Queue["payoutBatches"][number]>
          rowKey={(r) => r.batch.id}
          size="middle"
          loading={queue.isLoading}
          pagination={false}
          dataSource={q?.payoutBatches ?? []}
          locale={{ emptyText: "没有待审批的批次" }}
          columns={[
            { title: "批次", render: (_, r) => <Link to={`/batches/${r.batch.id}`}>{r.batch.id.slice(0, 8)}</Link> },
            { title: "法院", render: (_, r) => courtName(courts, r.batch.courtId) },
            { title: "笔数/案件", render: (_, r) => `${r.batch.totals.items} 笔 / ${r.batch.totals.cases} 件` },
            { title: "金额", align: "right", render: (_, r) => <Money value={r.batch.totals.amount} wan /> },
            { title: "审批层级", render: (_, r) => <Tag color={r.requiredApprovals > 1 ? "gold" : "blue"}>{`第 ${r.level} 级 / 共 ${r.requiredApprovals} 级`}</Tag> },
            { title: "提交时间", render: (_, r) => formatTimestamp(r.batch.submittedAt) },
            { title: "户名核对", render: (_, r) => <NameCheckTag batchId={r.batch.id} /> },
            {
              title: "",
              render: (_, r) => (
                <Space>
                  <MineTag mine={r.mine} />
                  {approveButton("batch", r.batch.id, r.mine, `批准第 ${r.level} 级审批？`)}
                  <Button size="small" danger onClick={() => openBatchReject.mutate(r.batch.id)}>退回</Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Card title={<span>延缓发放待审批 <Tag color="processing">{q?.deferrals.length ?? 0}</Tag></span>} style={{ marginTop: 16 }}>
        <Table<Queue["deferrals"][number]>
          rowKey={(r) => r.deferral.id}
          size="middle"
          loading={queue.isLoading}
          pagination={false}
          dataSource={q?.deferrals ?? []}
          locale={{ emptyText: "没有待审批的延缓发放" }}
          columns={[
            { title: "案件", render: (_, r) => <Link to={`/cases/${r.deferral.caseId}`}>{r.deferral.caseId.slice(0, 8)}</Link> },
            { title: "事由", render: (_, r) => DEFERRAL_REASON[r.deferral.reason] },
            { title: "申请日", render: (_, r) => r.deferral.requestedOn },
            { title: "延缓至", render: (_, r) => r.deferral.until },
            { title: "说明", render: (_, r) => r.deferral.note ?? "—" },
            {
              title: "",
              render: (_, r) => (
                <Space>
                  <MineTag mine={r.mine} />
                  {approveButton("deferral", r.deferral.id, r.mine, "批准延缓发放？")}
                  <Button size="small" danger disabled={r.mine} onClick={() => setRejecting({ kind: "deferral", deferral: r.deferral })}>不予批准</Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Card title={<span>收款账户变更待审批 <Tag color="processing">{q?.bankAccountChanges.length ?? 0}</Tag></span>} style={{ marginTop: 16 }}>
        <Table<Queue["bankAccountChanges"][number]>
          rowKey={(r) => r.change.id}
          size="middle"
          loading={queue.isLoading}
          pagination={false}
          dataSource={q?.bankAccountChanges ?? []}
          locale={{ emptyText: "没有待审批的账户变更" }}
          columns={[
            { title: "案件", render: (_, r) => <Link to={`/cases/${r.change.caseId}`}>{r.change.caseId.slice(0, 8)}</Link> },
            { title: "开户行", render: (_, r) => r.change.bankAccount.bankName },
            { title: "户名", render: (_, r) => r.change.bankAccount.accountName },
            { title: "账号", render: (_, r) => r.change.bankAccount.accountNumberMasked },
            { title: "申请时间", render: (_, r) => formatTimestamp(r.change.requestedAt) },
            {
              title: "",
              render: (_, r) => (
                <Space>
                  <MineTag mine={r.mine} />
                  {approveButton("bank", r.change.id, r.mine, "批准账户变更？")}
                  <Button size="small" danger disabled={r.mine} onClick={() => setRejecting({ kind: "bank", change: r.change })}>不予批准</Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Card title={<span>删除失信信息待审批 <Tag color="processing">{q?.listingRemovals.length ?? 0}</Tag></span>} style={{ marginTop: 16 }}>
        <Table<Queue["listingRemovals"][number]>
          rowKey={(r) => r.listing.id}
          size="middle"
          loading={queue.isLoading}
          pagination={false}
          dataSource={q?.listingRemovals ?? []}
          locale={{ emptyText: "没有待审批的删除申请" }}
          columns={[
            { title: "被执行人", render: (_, r) => <Link to={`/listings/${r.listing.id}`}>{r.listing.debtorName}</Link> },
            { title: "案号", render: (_, r) => r.listing.caseNumber },
            { title: "纳入情形", render: (_, r) => LISTING_GROUND[r.listing.ground] },
            { title: "删除事由", render: (_, r) => (r.listing.removal ? REMOVAL_GROUND[r.listing.removal.ground] : "—") },
            { title: "申请日", render: (_, r) => r.listing.removal?.requestedOn ?? "—" },
            { title: "应删除日", render: (_, r) => (r.listing.removalDueBy ? <span style={{ color: r.listing.removalOverdue ? "#cf1322" : undefined }}>{r.listing.removalDueBy}</span> : "—") },
            {
              title: "",
              render: (_, r) => (
                <Space>
                  <MineTag mine={r.mine} />
                  {approveButton("removal", r.listing.id, r.mine, "批准删除？")}
                  <Button size="small" danger disabled={r.mine} onClick={() => setRejecting({ kind: "removal", listing: r.listing })}>不予删除</Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <AgentsQueue />

      {rejecting?.kind === "batch" ? <RejectModal batch={rejecting.batch} open onClose={() => setRejecting(null)} onDone={refresh} /> : null}
      {rejecting && rejecting.kind !== "batch" ? (
        <ActionModal<{ reason: string }>
          name="reject-request"
          open
          danger
          title={rejecting.kind === "removal" ? `不予删除 · ${rejecting.listing.debtorName}` : rejecting.kind === "deferral" ? "不予批准延缓发放" : "不予批准账户变更"}
          submitText="确定"
          onClose={() => setRejecting(null)}
          onSubmit={async (v) => {
            const reason = v.reason.trim();
            if (rejecting.kind === "removal") {
              unwrap(await api.POST("/v1/listings/{id}/removal/reject", { params: { path: { id: rejecting.listing.id } }, body: { reason } }));
              refresh("已驳回删除申请，名单恢复在列");
            } else if (rejecting.kind === "deferral") {
              unwrap(await api.POST("/v1/deferrals/{id}/reject", { params: { path: { id: rejecting.deferral.id } }, body: { reason } }));
              refresh("已驳回延缓发放申请");
            } else {
              unwrap(await api.POST("/v1/bank-account-changes/{id}/reject", { params: { path: { id: rejecting.change.id } }, body: { reason } }));
              refresh("已驳回账户变更，原账户不变");
            }
          }}
        >
          <Form.Item name="reason" label="理由" rules={[{ required: true, whitespace: true, message: "请填写理由" }]}>
            <Input.TextArea rows={3} autoFocus maxLength={2000} aria-label="理由" />
          </Form.Item>
        </ActionModal>
      ) : null}
    </div>
  );
}
