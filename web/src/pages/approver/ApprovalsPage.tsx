import { useMutation, useQueryClient } from "@tanstack/react-query";
import Alert from "antd/es/alert";
import App from "antd/es/app";
import Button from "antd/es/button";
import Card from "antd/es/card";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Popconfirm from "antd/es/popconfirm";
import Select from "antd/es/select";
import Space from "antd/es/space";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import Typography from "antd/es/typography";
import { useState } from "react";
import { Link } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { courtName, useCourts } from "../../api/queries";
import { ActionModal } from "../../components/ActionModal";
import { Money, PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { formatTimestamp } from "../../lib/dates";
import { LISTING_GROUND, REMOVAL_GROUND } from "../../lib/labels";
import { CursorPager, useCursorPages } from "../../lib/paging";
import { RejectModal } from "../finance/batchModals";
import { AgentsQueue } from "./AgentsQueue";
import { NameCheckTag } from "./NameCheckTag";

/**
 * One queue of what waits for an approver: submitted batches and pending listing removals (both
 * listable), and — since v1 has no list of pending deferrals and bank-account changes — approval
 * of those by the number the clerk's request showed.
 */
export default function ApprovalsPage() {
  const courts = useCourts().data;
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [rejecting, setRejecting] = useState<Schemas["PayoutBatch"] | null>(null);
  const [rejectingRemoval, setRejectingRemoval] = useState<Schemas["Listing"] | null>(null);
  const batches = useCursorPages<Schemas["PayoutBatchSummary"]>(["batches", { status: "submitted" }], async (cursor, limit) =>
    unwrap(await api.GET("/v1/payout-batches", { params: { query: { status: "submitted", cursor, limit } } })),
  );
  const removals = useCursorPages<Schemas["Listing"]>(["listings", { status: "removal_pending" }], async (cursor, limit) =>
    unwrap(await api.GET("/v1/listings", { params: { query: { status: "removal_pending", cursor, limit } } })),
  );
  const refresh = (text: string) => {
    message.success(text);
    qc.invalidateQueries({ queryKey: ["batches"] });
    qc.invalidateQueries({ queryKey: ["listings"] });
  };
  const approveBatch = useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST("/v1/payout-batches/{id}/approve", { params: { path: { id } }, body: {} })),
    onSuccess: () => refresh("批次已批准，转财务支付"),
  });
  const openReject = useMutation({
    mutationFn: async (id: string) => unwrap(await api.GET("/v1/payout-batches/{id}", { params: { path: { id } } })),
    onSuccess: (b) => setRejecting(b),
  });
  const approveRemoval = useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST("/v1/listings/{id}/removal/approve", { params: { path: { id } } })),
    onSuccess: () => refresh("已批准删除失信信息，请及时撤回各渠道公布"),
  });

  return (
    <div>
      <PageHeader title="审批待办" sub="Everything waiting for an approver. 四眼原则：不能审批自己发起或提交的事项。" />
      <ProblemAlert error={approveBatch.error ?? approveRemoval.error ?? openReject.error} />
      <Card title={<span>待审批发放批次 <Tag color="processing">{batches.rows.length}{batches.hasNext ? "+" : ""}</Tag></span>}>
        <ProblemAlert error={batches.query.error} />
        <Table<Schemas["PayoutBatchSummary"]>
          rowKey="id"
          size="middle"
          loading={batches.loading}
          pagination={false}
          dataSource={batches.rows}
          locale={{ emptyText: "没有待审批的批次" }}
          columns={[
            { title: "批次", dataIndex: "id", render: (v: string) => <Link to={`/batches/${v}`}>{v.slice(0, 8)}</Link> },
            { title: "法院", dataIndex: "courtId", render: (v: string) => courtName(courts, v) },
            { title: "笔数/案件", render: (_, b) => `${b.totals.items} 笔 / ${b.totals.cases} 件` },
            { title: "金额", align: "right", render: (_, b) => <Money value={b.totals.amount} wan /> },
            { title: "提交时间", dataIndex: "submittedAt", render: (v: string | null) => formatTimestamp(v) },
            { title: "户名核对", render: (_, b) => <NameCheckTag batchId={b.id} /> },
            {
              title: "",
              render: (_, b) => (
                <Space>
                  <Popconfirm title="批准此发放批次？" okText="批准" cancelText="取消" onConfirm={() => approveBatch.mutate(b.id)}>
                    <Button size="small" type="primary">批准</Button>
                  </Popconfirm>
                  <Button size="small" danger onClick={() => openReject.mutate(b.id)}>退回</Button>
                </Space>
              ),
            },
          ]}
        />
        <CursorPager pages={batches as never} />
      </Card>

      <Card title="删除失信信息待审批" style={{ marginTop: 16 }}>
        <ProblemAlert error={removals.query.error} />
        <Table<Schemas["Listing"]>
          rowKey="id"
          size="middle"
          loading={removals.loading}
          pagination={false}
          dataSource={removals.rows}
          locale={{ emptyText: "没有待审批的删除申请" }}
          columns={[
            { title: "被执行人", dataIndex: "debtorName", render: (v: string, l) => <Link to={`/listings/${l.id}`}>{v}</Link> },
            { title: "案号", dataIndex: "caseNumber" },
            { title: "纳入情形", dataIndex: "ground", render: (g: Schemas["ListingGround"]) => LISTING_GROUND[g] },
            { title: "删除事由", render: (_, l) => (l.removal ? REMOVAL_GROUND[l.removal.ground] : "—") },
            { title: "申请日", render: (_, l) => l.removal?.requestedOn ?? "—" },
            {
              title: "",
              render: (_, l) => (
                <Space>
                  <Popconfirm title="批准删除？" okText="批准" cancelText="取消" onConfirm={() => approveRemoval.mutate(l.id)}>
                    <Button size="small" type="primary">批准</Button>
                  </Popconfirm>
                  <Button size="small" danger onClick={() => setRejectingRemoval(l)}>不予删除</Button>
                </Space>
              ),
            },
          ]}
        />
        <CursorPager pages={removals as never} />
      </Card>

      <AgentsQueue />

      <ApproveById onDone={refresh} />

      {rejecting ? <RejectModal batch={rejecting} open onClose={() => setRejecting(null)} onDone={refresh} /> : null}
      {rejectingRemoval ? (
        <ActionModal<{ reason: string }>
          name="reject-removal"
          open
          danger
          title={`不予删除 · ${rejectingRemoval.debtorName}`}
          submitText="确定"
          onClose={() => setRejectingRemoval(null)}
          onSubmit={async (v) => {
            unwrap(await api.POST("/v1/listings/{id}/removal/reject", { params: { path: { id: rejectingRemoval.id } }, body: { reason: v.reason.trim() } }));
            refresh("已驳回删除申请，名单恢复在列");
          }}
        >
          <Form.Item name="reason" label="理由" rules={[{ required: true, whitespace: true, message: "请填写理由" }]}>
            <Input.TextArea rows={3} autoFocus maxLength={2000} />
          </Form.Item>
        </ActionModal>
      ) : null}
    </div>
  );
}

function ApproveById({ onDone }: { onDone: (m: string) => void }) {
  const [form] = Form.useForm<{ kind: "deferral" | "bank"; id: string }>();
  const m = useMutation({
    mutationFn: async (v: { kind: "deferral" | "bank"; id: string }) => {
      const id = v.id.trim();
      if (v.kind === "deferral") {
        const d = unwrap(await api.POST("/v1/deferrals/{id}/approve", { params: { path: { id } } }));
        return `延缓发放已批准（至 ${d.until}）`;
      }
      unwrap(await api.POST("/v1/bank-account-changes/{id}/approve", { params: { path: { id } } }));
      return "收款账户变更已批准，已生效";
    },
    onSuccess: (text) => {
      onDone(text);
      form.resetFields();
    },
  });
  return (
    <Card title="延缓发放 / 收款账户变更" style={{ marginTop: 16 }}>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="现版本接口没有“待审批延缓发放、账户变更”的列表（统一审批列表 GET /v1/approvals 在下一阶段提供）。请按执行员提交申请后显示的编号审批。"
      />
      <ProblemAlert error={m.error} />
      <Form form={form} layout="inline" onFinish={(v) => m.mutate(v)} initialValues={{ kind: "deferral" }} name="approve-by-id">
        <Form.Item name="kind">
          <Select style={{ width: 160 }} options={[{ value: "deferral", label: "延缓发放" }, { value: "bank", label: "收款账户变更" }]} />
        </Form.Item>
        <Form.Item name="id" rules={[{ required: true, message: "请输入申请编号" }, { pattern: /^[0-9a-f-]{36}$/i, message: "编号格式不正确" }]}>
          <Input placeholder="申请编号" style={{ width: 340 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={m.isPending}>批准</Button>
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        v1 has no list of pending deferrals and bank-account changes: approve them by the number the clerk was shown.
      </Typography.Paragraph>
    </Card>
  );
}
