import DatePicker from "antd/es/date-picker";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Radio from "antd/es/radio";
import Select from "antd/es/select";
import Table from "antd/es/table";
import Typography from "antd/es/typography";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ActionModal } from "../../components/ActionModal";
import { Money } from "../../components/common";
import { DATE_FORMAT, todayDayjs, toDateString } from "../../lib/dates";

type Batch = Schemas["PayoutBatch"];
interface ModalProps {
  open: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
}

export function RejectModal({ batch, ...p }: ModalProps & { batch: Batch }) {
  return (
    <ActionModal<{ reason: string }>
      name="reject"
      open={p.open}
      onClose={p.onClose}
      danger
      title="退回发放批次"
      submitText="退回"
      onSubmit={async (v) => {
        unwrap(await api.POST("/v1/payout-batches/{id}/reject", { params: { path: { id: batch.id } }, body: { reason: v.reason.trim() } }));
        p.onDone("批次已退回，预留款项已释放");
      }}
    >
      <Form.Item name="reason" label="退回理由" rules={[{ required: true, whitespace: true, message: "请填写退回理由" }]}>
        <Input.TextArea rows={3} autoFocus maxLength={1000} aria-label="退回理由" />
      </Form.Item>
    </ActionModal>
  );
}

type Outcome = { status: "paid" | "failed"; bankReference?: string; failureReason?: string };

/**
 * 登记支付结果: POST /v1/payout-batches/{id}/execute (Idempotency-Key). All paid is the common case;
 * otherwise one outcome per item, a failed one with its reason. All or nothing on the server.
 */
export function ExecuteModal({ batch, ...p }: ModalProps & { batch: Batch }) {
  const [mode, setMode] = useState<"all" | "each">("all");
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>(() => Object.fromEntries(batch.items.map((i) => [i.id, { status: "paid" as const }])));
  const set = (id: string, patch: Partial<Outcome>) => setOutcomes((o) => ({ ...o, [id]: { ...o[id], ...patch } }));
  return (
    <ActionModal<{ paidOn: Dayjs }>
      name="execute"
      open={p.open}
      onClose={p.onClose}
      width={mode === "each" ? 960 : 520}
      title="登记银行支付结果"
      submitText="确认登记"
      initialValues={{ paidOn: todayDayjs() }}
      onSubmit={async (v, keyFor) => {
        const body: Schemas["PayoutBatchExecute"] = { paidOn: toDateString(v.paidOn) };
        if (mode === "each") {
          const missing = batch.items.filter((i) => outcomes[i.id].status === "failed" && !outcomes[i.id].failureReason?.trim());
          if (missing.length) throw new Error(`第 ${missing.map((i) => i.line).join("、")} 笔支付失败，须填写失败原因`);
          body.outcomes = batch.items.map((i) => {
            const o = outcomes[i.id];
            const out: Schemas["PayoutOutcome"] = { itemId: i.id, status: o.status };
            if (o.bankReference?.trim()) out.bankReference = o.bankReference.trim();
            if (o.status === "failed") out.failureReason = o.failureReason!.trim();
            return out;
          });
        }
        unwrap(await api.POST("/v1/payout-batches/{id}/execute", { params: { path: { id: batch.id }, header: { "Idempotency-Key": keyFor(body) } }, body }));
        p.onDone("支付结果已登记");
      }}
    >
      <Form.Item name="paidOn" label="支付日期" rules={[{ required: true, message: "请选择支付日期" }]}>
        <DatePicker format={DATE_FORMAT} style={{ width: 200 }} autoFocus disabledDate={(d) => d.isAfter(todayDayjs(), "day")} />
      </Form.Item>
      <Form.Item label="结果">
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)}>
          <Radio value="all">全部支付成功（{batch.totals.items} 笔，<Money value={batch.totals.amount} />）</Radio>
          <Radio value="each">逐笔登记</Radio>
        </Radio.Group>
      </Form.Item>
      {mode === "each" ? (
        <Table
          rowKey="id"
          size="small"
          dataSource={batch.items}
          pagination={batch.items.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          style={{ marginBottom: 16 }}
          columns={[
            { title: "#", dataIndex: "line", width: 50 },
            { title: "收款人", render: (_, i) => i.payee?.name ?? "—" },
            { title: "金额", align: "right", render: (_, i) => <Money value={i.amount} /> },
            {
              title: "结果",
              render: (_, i) => (
                <Select size="small" style={{ width: 100 }} value={outcomes[i.id].status} onChange={(s) => set(i.id, { status: s })} options={[{ value: "paid", label: "成功" }, { value: "failed", label: "失败" }]} aria-label={`第${i.line}笔结果`} />
              ),
            },
            { title: "银行流水号", render: (_, i) => <Input size="small" value={outcomes[i.id].bankReference} onChange={(e) => set(i.id, { bankReference: e.target.value })} maxLength={100} /> },
            {
              title: "失败原因",
              render: (_, i) => <Input size="small" disabled={outcomes[i.id].status !== "failed"} value={outcomes[i.id].failureReason} onChange={(e) => set(i.id, { failureReason: e.target.value })} maxLength={1000} aria-label={`第${i.line}笔失败原因`} />,
            },
          ]}
        />
      ) : (
        <Typography.Paragraph type="secondary">确认银行已按支付文件全部转账成功。失败的转账请选择“逐笔登记”。</Typography.Paragraph>
      )}
    </ActionModal>
  );
}

/** 登记退汇: POST /v1/payout-batches/{id}/items/{itemId}/return (Idempotency-Key). */
export function ReturnModal({ batch, item, ...p }: ModalProps & { batch: Batch; item: Schemas["PayoutItem"] }) {
  return (
    <ActionModal<{ returnedOn: Dayjs; reason: string }>
      name="return"
      open={p.open}
      onClose={p.onClose}
      title={`登记退汇 · 第 ${item.line} 笔`}
      submitText="登记退汇"
      initialValues={{ returnedOn: todayDayjs() }}
      onSubmit={async (v, keyFor) => {
        const body = { returnedOn: toDateString(v.returnedOn), reason: v.reason.trim() };
        unwrap(await api.POST("/v1/payout-batches/{id}/items/{itemId}/return", { params: { path: { id: batch.id, itemId: item.id }, header: { "Idempotency-Key": keyFor(body) } }, body }));
        p.onDone("退汇已登记，款项回到案件在账款");
      }}
    >
      <Typography.Paragraph>
        {item.payee?.name} · <Money value={item.amount} />
      </Typography.Paragraph>
      <Form.Item name="returnedOn" label="退汇日期" rules={[{ required: true }]}>
        <DatePicker format={DATE_FORMAT} style={{ width: 200 }} disabledDate={(d) => d.isAfter(todayDayjs(), "day")} />
      </Form.Item>
      <Form.Item name="reason" label="退汇原因" rules={[{ required: true, whitespace: true, message: "请填写退汇原因" }]}>
        <Input autoFocus maxLength={1000} placeholder="如 户名与账号不符" />
      </Form.Item>
    </ActionModal>
  );
}
