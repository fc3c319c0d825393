import Button from "antd/es/button";
import Card from "antd/es/card";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Select from "antd/es/select";
import Space from "antd/es/space";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import Typography from "antd/es/typography";
import message from "antd/es/message";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { hasRole, useMe } from "../../api/queries";
import { ActionModal } from "../../components/ActionModal";
import { CourtSelect } from "../../components/CourtSelect";
import { Money, PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { formatTimestamp } from "../../lib/dates";
import { newIdempotencyKey } from "../../lib/idempotency";
import { CursorPager, useCursorPages } from "../../lib/paging";

type Transfer = Schemas["ReceiptTransfer"];
const STATUS: Record<Transfer["status"], string> = { pending: "待审批", approved: "已调账", rejected: "已驳回" };
const COLOR: Record<Transfer["status"], string> = { pending: "processing", approved: "green", rejected: "red" };

/** 调账: finance asks (from the case page), a second person approves or rejects here. */
export default function TransfersPage() {
  const me = useMe().data;
  const qc = useQueryClient();
  const [courtId, setCourtId] = useState<string | undefined>();
  const [status, setStatus] = useState<Transfer["status"] | undefined>("pending");
  const [rejecting, setRejecting] = useState<Transfer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pages = useCursorPages<Transfer>(["receipt-transfers", { courtId, status }], async (cursor, limit) =>
    courtId ? unwrap(await api.GET("/v1/receipt-transfers", { params: { query: { courtId, status, cursor, limit } } })) : { data: [], nextCursor: null },
  );
  const refresh = () => void qc.invalidateQueries({ queryKey: ["receipt-transfers"] });
  const approve = async (t: Transfer) => {
    setError(null);
    try {
      unwrap(await api.POST("/v1/receipt-transfers/{id}/approve", { params: { path: { id: t.id }, header: { "Idempotency-Key": newIdempotencyKey() } } }));
      message.success("已调账：款项已移至正确案件，到账日与发放期限不变");
      refresh();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div>
      <PageHeader title="调账审批" sub="Transfers of money credited to the wrong case: approved by a second person" />
      <Card>
        <Form layout="inline" className="filters">
          <Form.Item label="法院"><CourtSelect value={courtId} onChange={setCourtId} /></Form.Item>
          <Form.Item label="状态">
            <Select allowClear placeholder="全部" value={status} onChange={setStatus} style={{ width: 140 }} options={(Object.keys(STATUS) as Transfer["status"][]).map((s) => ({ value: s, label: STATUS[s] }))} />
          </Form.Item>
        </Form>
        <ProblemAlert error={error ?? pages.query.error} />
        <Table<Transfer>
          rowKey="id"
          size="middle"
          loading={pages.loading}
          pagination={false}
          dataSource={pages.rows}
          columns={[
            { title: "申请时间", dataIndex: "requestedAt", render: (v: string) => formatTimestamp(v) },
            { title: "金额", dataIndex: "amount", align: "right", render: (v: string) => <Money value={v} /> },
            { title: "从", dataIndex: "fromCaseId", render: (v: string) => <Link to={`/cases/${v}`}>原案件</Link> },
            { title: "至", dataIndex: "toCaseId", render: (v: string) => <Link to={`/cases/${v}`}>目标案件</Link> },
            { title: "理由", dataIndex: "reason", ellipsis: true },
            { title: "状态", dataIndex: "status", render: (s: Transfer["status"]) => <Tag color={COLOR[s]}>{STATUS[s]}</Tag> },
            {
              title: "操作",
              render: (_, t) =>
                t.status === "pending" && hasRole(me, "approver") ? (
                  <Space>
                    <Button size="small" type="primary" onClick={() => approve(t)}>批准</Button>
                    <Button size="small" danger onClick={() => setRejecting(t)}>驳回</Button>
                  </Space>
                ) : null,
            },
          ]}
        />
        <CursorPager pages={pages as never} />
      </Card>
      {rejecting ? (
        <ActionModal<{ reason: string }>
          name="reject-transfer"
          open
          danger
          title="驳回调账"
          submitText="驳回"
          onClose={() => setRejecting(null)}
          onSubmit={async (v) => {
            unwrap(await api.POST("/v1/receipt-transfers/{id}/reject", { params: { path: { id: rejecting.id } }, body: { reason: v.reason.trim() } }));
            setRejecting(null);
            refresh();
          }}
        >
          <Form.Item name="reason" label="驳回理由" rules={[{ required: true, whitespace: true, message: "请填写驳回理由" }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </ActionModal>
      ) : null}
    </div>
  );
}

/** 申请调账 (finance, from the case page): the receipt moves once a second person approves. */
export function TransferModal({ receiptId, amount, courtId, onClose, onDone }: { receiptId: string; amount: string; courtId: string; onClose: () => void; onDone: (m: string) => void }) {
  return (
    <ActionModal<{ caseNumber: string; reason: string }>
      name="transfer"
      open
      title="申请调账"
      submitText="提交审批"
      onClose={onClose}
      onSubmit={async (v, keyFor) => {
        const found = unwrap(await api.GET("/v1/cases", { params: { query: { courtId, caseNumber: v.caseNumber.trim() } } }));
        const target = found.data[0];
        if (!target) throw new Error(`未找到案号 ${v.caseNumber}`);
        const body = { toCaseId: target.id, reason: v.reason.trim() };
        unwrap(await api.POST("/v1/receipts/{id}/transfer", { params: { path: { id: receiptId }, header: { "Idempotency-Key": keyFor(body) } }, body }));
        onDone(`调账申请已提交，待另一位审批人批准后移至 ${target.caseNumber}`);
      }}
    >
      <Typography.Paragraph>调账金额：<Money value={amount} strong />。到账日与发放期限不变。</Typography.Paragraph>
      <Form.Item name="caseNumber" label="应入案号" rules={[{ required: true, whitespace: true, message: "请填写案号" }]}>
        <Input />
      </Form.Item>
      <Form.Item name="reason" label="调账理由" rules={[{ required: true, whitespace: true, message: "请填写调账理由" }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </ActionModal>
  );
}
