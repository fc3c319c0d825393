import Checkbox from "antd/es/checkbox";
import DatePicker from "antd/es/date-picker";
import Form from "antd/es/form";
import Input from "antd/es/input";
import InputNumber from "antd/es/input-number";
import Select from "antd/es/select";
import Typography from "antd/es/typography";
import type { Dayjs } from "dayjs";
import { useNavigate } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ActionModal } from "../../components/ActionModal";
import { Money, moneyRules } from "../../components/common";
import { DATE_FORMAT, todayDayjs, toDateString } from "../../lib/dates";
import { DEFERRAL_REASON, LISTING_GROUND, RECEIPT_SOURCE } from "../../lib/labels";
import { compareMoney } from "../../lib/money";

type Case = Schemas["Case"];
interface ModalProps {
  open: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
}
const opts = <T extends string>(labels: Record<T, string>) => (Object.keys(labels) as T[]).map((k) => ({ value: k, label: labels[k] }));

/** 登记到账: POST /v1/cases/{id}/receipts with an Idempotency-Key. */
export function ReceiptModal({ c, ...p }: ModalProps & { c: Case }) {
  return (
    <ActionModal<{ amount: string; receivedOn: Dayjs; source: Schemas["ReceiptCreate"]["source"]; payerName?: string; bankReference?: string }>
      name="receipt"
      open={p.open}
      onClose={p.onClose}
      title={`登记到账 · ${c.caseNumber}`}
      submitText="登记到账"
      initialValues={{ receivedOn: todayDayjs(), source: "voluntary" }}
      onSubmit={async (v, keyFor) => {
        const body: Schemas["ReceiptCreate"] = { amount: v.amount, receivedOn: toDateString(v.receivedOn), source: v.source };
        if (v.payerName?.trim()) body.payerName = v.payerName.trim();
        if (v.bankReference?.trim()) body.bankReference = v.bankReference.trim();
        const r = unwrap(await api.POST("/v1/cases/{id}/receipts", { params: { path: { id: c.id }, header: { "Idempotency-Key": keyFor(body) } }, body }));
        p.onDone(`已登记到账 ${r.amount} 元，应于 ${r.disburseBy} 前发放`);
      }}
    >
      <Form.Item name="amount" label="到账金额（元）" rules={moneyRules({ required: true })} extra="只填数字，最多两位小数，如 30000 或 30000.50">
        <Input autoFocus inputMode="decimal" autoComplete="off" aria-label="到账金额" />
      </Form.Item>
      <Form.Item name="receivedOn" label="到账日期" rules={[{ required: true, message: "请选择到账日期" }]}>
        <DatePicker format={DATE_FORMAT} style={{ width: "100%" }} disabledDate={(d) => d.isAfter(todayDayjs(), "day")} />
      </Form.Item>
      <Form.Item name="source" label="来源">
        {/* Cash needs two witnesses and the hand-over day (issue 13); the workbench does not record cash yet. */}
        <Select options={opts(RECEIPT_SOURCE).filter((o) => o.value !== "cash")} />
      </Form.Item>
      <Form.Item name="payerName" label="交款人">
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="bankReference" label="银行流水号">
        <Input maxLength={100} />
      </Form.Item>
    </ActionModal>
  );
}

/** 申请延缓发放: POST /v1/cases/{id}/deferrals; an approver approves it. */
export function DeferralModal({ c, ...p }: ModalProps & { c: Case }) {
  return (
    <ActionModal<{ reason: Schemas["DeferralCreate"]["reason"]; until: Dayjs; note?: string }>
      name="deferral"
      open={p.open}
      onClose={p.onClose}
      title={`申请延缓发放 · ${c.caseNumber}`}
      submitText="提交申请"
      onSubmit={async (v) => {
        const body: Schemas["DeferralCreate"] = { reason: v.reason, until: toDateString(v.until) };
        if (v.note?.trim()) body.note = v.note.trim();
        const d = unwrap(await api.POST("/v1/cases/{id}/deferrals", { params: { path: { id: c.id } }, body }));
        p.onDone(`延缓发放申请已提交，待审批（编号 ${d.id}）`);
      }}
    >
      <Form.Item name="reason" label="事由" rules={[{ required: true, message: "请选择事由" }]}>
        <Select options={opts(DEFERRAL_REASON)} autoFocus />
      </Form.Item>
      <Form.Item name="until" label="延缓至" rules={[{ required: true, message: "请选择日期" }]}>
        <DatePicker format={DATE_FORMAT} style={{ width: "100%" }} disabledDate={(d) => d.isBefore(todayDayjs(), "day")} />
      </Form.Item>
      <Form.Item name="note" label="说明">
        <Input.TextArea rows={3} maxLength={1000} />
      </Form.Item>
    </ActionModal>
  );
}

/** 申请变更收款账户: POST /v1/parties/{id}/bank-account-changes; takes effect when an approver approves. */
export function BankChangeModal({ party, ...p }: ModalProps & { party: Schemas["Party"] }) {
  return (
    <ActionModal<{ bankName: string; accountName: string; accountNumber: string }>
      name="bank-change"
      open={p.open}
      onClose={p.onClose}
      title={`申请变更收款账户 · ${party.name}`}
      submitText="提交申请"
      initialValues={{ accountName: party.name }}
      onSubmit={async (v) => {
        const ch = unwrap(
          await api.POST("/v1/parties/{id}/bank-account-changes", {
            params: { path: { id: party.id } },
            body: { bankAccount: { bankName: v.bankName.trim(), accountName: v.accountName.trim(), accountNumber: v.accountNumber.trim() } },
          }),
        );
        p.onDone(`账户变更申请已提交，须另一人审批后生效（编号 ${ch.id}）`);
      }}
    >
      <Typography.Paragraph type="secondary">变更须经审批人（非申请人本人）审批后生效。A second person must approve the change.</Typography.Paragraph>
      <Form.Item name="bankName" label="开户行" rules={[{ required: true, whitespace: true, message: "请输入开户行" }]}>
        <Input autoFocus />
      </Form.Item>
      <Form.Item name="accountName" label="户名" rules={[{ required: true, whitespace: true, message: "请输入户名" }]}>
        <Input />
      </Form.Item>
      <Form.Item name="accountNumber" label="账号" rules={[{ required: true, message: "请输入账号" }, { pattern: /^[0-9]{8,32}$/, message: "账号为 8–32 位数字" }]}>
        <Input autoComplete="off" />
      </Form.Item>
    </ActionModal>
  );
}

/** The payee choice that pays the execution fee to the court's fee account. */
const FEE_PAYEE = "execution_fee";

/** 拟制发放批次: POST /v1/payout-batches (Idempotency-Key), then optionally submit. */
/**
 * `fee`: where the court charges the execution fee and has a fee account, the modal offers 执行费
 * (an item of kind `execution_fee`, paid to the court's fee account, no party) up to the unpaid fee.
 */
export function DraftPayoutModal({ c, agents = [], fee, ...p }: ModalProps & { c: Case; agents?: Schemas["Agent"][]; fee?: { account: Schemas["CourtAccount"]; unpaid: string } }) {
  const navigate = useNavigate();
  const payees = c.parties.filter((x) => x.role === "applicant" && x.bankAccount);
  // An agent is a payee only when approved with special authority to collect (执行工作规定 art. 20).
  const agentPayees = agents.filter((a) => a.status === "approved" && a.specialAuthority && a.bankAccount && c.parties.some((x) => x.id === a.partyId && x.role === "applicant"));
  return (
    <ActionModal<{ partyId: string; amount: string; note?: string; submit: boolean }>
      name="draft-payout"
      open={p.open}
      onClose={p.onClose}
      title={`拟制发放批次 · ${c.caseNumber}`}
      submitText="生成批次"
      initialValues={{ partyId: payees[0]?.id, amount: c.balances.available, submit: true }}
      onSubmit={async (v, keyFor) => {
        const agent = agentPayees.find((a) => `agent:${a.id}` === v.partyId);
        const item: Schemas["PayoutItemInput"] =
          v.partyId === FEE_PAYEE
            ? { caseId: c.id, kind: "execution_fee", amount: v.amount }
            : agent
              ? { caseId: c.id, partyId: agent.partyId, agentId: agent.id, amount: v.amount }
              : { caseId: c.id, partyId: v.partyId, amount: v.amount };
        const body: Schemas["PayoutBatchCreate"] = { courtId: c.courtId, items: [item] };
        if (v.note?.trim()) body.note = v.note.trim();
        const batch = unwrap(await api.POST("/v1/payout-batches", { params: { header: { "Idempotency-Key": keyFor(body) } }, body }));
        if (v.submit) unwrap(await api.POST("/v1/payout-batches/{id}/submit", { params: { path: { id: batch.id } }, body: {} }));
        p.onDone(v.submit ? "发放批次已生成并提交审批" : "发放批次草稿已生成");
        navigate(`/batches/${batch.id}`);
      }}
    >
      <Typography.Paragraph>
        本案可发放：<Money value={c.balances.available} strong />
      </Typography.Paragraph>
      <Form.Item name="partyId" label="收款人（申请执行人，账户以备案为准）" rules={[{ required: true, message: "请选择收款人" }]}>
        <Select
          autoFocus
          options={[
            ...payees.map((x) => ({ value: x.id, label: `${x.name} · ${x.bankAccount?.bankName} ${x.bankAccount?.accountNumberMasked}` })),
            ...agentPayees.map((a) => ({
              value: `agent:${a.id}`,
              label: `代理人 ${a.name}（代 ${c.parties.find((x) => x.id === a.partyId)?.name ?? ""}）· ${a.bankAccount?.accountName} ${a.bankAccount?.accountNumberMasked}`,
            })),
            ...(fee ? [{ value: FEE_PAYEE, label: `执行费 Execution fee → ${fee.account.accountName} · ${fee.account.bankName}（未缴 ${fee.unpaid} 元）` }] : []),
          ]}
          notFoundContent="没有登记了收款账户的申请执行人"
        />
      </Form.Item>
      <Form.Item
        name="amount"
        label="发放金额（元）"
        rules={[
          ...moneyRules({ required: true }),
          { validator: async (_r, v: string) => { if (v && /^(0|[1-9][0-9]{0,12})(\.[0-9]{1,2})?$/.test(v) && compareMoney(v, c.balances.available) > 0) throw new Error("超过本案可发放金额"); } },
          ({ getFieldValue }) => ({
            validator: async (_r, v: string) => {
              if (fee && getFieldValue("partyId") === FEE_PAYEE && v && /^(0|[1-9][0-9]{0,12})(\.[0-9]{1,2})?$/.test(v) && compareMoney(v, fee.unpaid) > 0) throw new Error(`超过本案未缴执行费 ${fee.unpaid} 元`);
            },
          }),
        ]}
      >
        <Input inputMode="decimal" autoComplete="off" />
      </Form.Item>
      <Form.Item name="note" label="备注">
        <Input maxLength={1000} />
      </Form.Item>
      <Form.Item name="submit" valuePropName="checked">
        <Checkbox>生成后立即提交审批（预留款项）</Checkbox>
      </Form.Item>
    </ActionModal>
  );
}

/** 冲销到账 (finance): POST /v1/receipts/{id}/reverse — a new reversing entry, the receipt is never edited. */
export function ReverseModal({ receiptId, amount, ...p }: ModalProps & { receiptId: string; amount: string }) {
  return (
    <ActionModal<{ reason: string }>
      name="reverse"
      open={p.open}
      onClose={p.onClose}
      danger
      title="冲销到账"
      submitText="冲销"
      onSubmit={async (v, keyFor) => {
        const body = { reason: v.reason.trim() };
        unwrap(await api.POST("/v1/receipts/{id}/reverse", { params: { path: { id: receiptId }, header: { "Idempotency-Key": keyFor(body) } }, body }));
        p.onDone("到账已冲销（以新的冲销分录记录，原记录不变）");
      }}
    >
      <Typography.Paragraph>
        冲销金额：<Money value={amount} strong />。冲销以新的反向分录记账，原到账记录保留。
      </Typography.Paragraph>
      <Form.Item name="reason" label="冲销原因" rules={[{ required: true, whitespace: true, message: "请填写冲销原因" }]}>
        <Input.TextArea rows={3} autoFocus maxLength={1000} />
      </Form.Item>
    </ActionModal>
  );
}

/** 纳入失信名单 (list officer): POST /v1/listings. */
export function ListingModal({ c, ...p }: ModalProps & { c: Case }) {
  const navigate = useNavigate();
  const debtors = c.parties.filter((x) => x.role === "debtor");
  const applicants = c.parties.filter((x) => x.role === "applicant");
  return (
    <ActionModal<{ partyId: string; applicantId?: string; ground: Schemas["ListingGround"]; decisionNumber: string; decidedOn: Dayjs; extensionYears?: number }>
      name="listing"
      open={p.open}
      onClose={p.onClose}
      title={`纳入失信名单 · ${c.caseNumber}`}
      submitText="纳入"
      initialValues={{ partyId: debtors[0]?.id, decidedOn: todayDayjs() }}
      onSubmit={async (v) => {
        const body: Schemas["ListingCreate"] = { caseId: c.id, partyId: v.partyId, ground: v.ground, decisionNumber: v.decisionNumber.trim(), decidedOn: toDateString(v.decidedOn) };
        if (v.applicantId) body.applicantId = v.applicantId;
        if (v.extensionYears) body.extensionYears = v.extensionYears;
        const l = unwrap(await api.POST("/v1/listings", { body }));
        p.onDone("已纳入失信名单");
        navigate(`/listings/${l.id}`);
      }}
    >
      <Form.Item name="partyId" label="被执行人" rules={[{ required: true }]}>
        <Select autoFocus options={debtors.map((d) => ({ value: d.id, label: d.name }))} />
      </Form.Item>
      <Form.Item name="ground" label="纳入情形" rules={[{ required: true, message: "请选择纳入情形" }]}>
        <Select options={opts(LISTING_GROUND)} />
      </Form.Item>
      <Form.Item name="decisionNumber" label="决定书文号" rules={[{ required: true, whitespace: true, message: "请输入决定书文号" }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="decidedOn" label="决定日期" rules={[{ required: true }]}>
        <DatePicker format={DATE_FORMAT} style={{ width: "100%" }} />
      </Form.Item>
      <Form.Item name="applicantId" label="申请人（法院依职权纳入时不选）">
        <Select allowClear options={applicants.map((a) => ({ value: a.id, label: a.name }))} />
      </Form.Item>
      <ExtensionYears />
    </ActionModal>
  );
}

/** Only grounds with a term can be extended (by 1–3 years); a count of years, not money. */
function ExtensionYears() {
  const form = Form.useFormInstance();
  const ground = Form.useWatch("ground", form) as string | undefined;
  if (!ground || ground === "able_but_refuses") return null;
  return (
    <Form.Item name="extensionYears" label="延长年限（1–3 年，可不填）">
      <InputNumber min={1} max={3} precision={0} />
    </Form.Item>
  );
}
