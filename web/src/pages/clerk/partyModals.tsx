import Checkbox from "antd/es/checkbox";
import DatePicker from "antd/es/date-picker";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Select from "antd/es/select";
import Typography from "antd/es/typography";
import type { Dayjs } from "dayjs";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ActionModal } from "../../components/ActionModal";
import { moneyRules } from "../../components/common";
import { DATE_FORMAT, fromDateString, todayDayjs, toDateString } from "../../lib/dates";

type Case = Schemas["Case"];
type Party = Schemas["Party"];
interface ModalProps {
  open: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
}

const ID_NUMBER = /^[0-9A-Za-z-]{4,64}$/;
const reasonItem = (
  <Form.Item name="reason" label="更正原因（必填，记入审计日志）" rules={[{ required: true, whitespace: true, message: "请填写更正原因" }]}>
    <Input.TextArea rows={2} maxLength={1000} />
  </Form.Item>
);
const kindOptions = [
  { value: "person", label: "自然人" },
  { value: "organization", label: "单位" },
];

/** 更正案件信息: PATCH /v1/cases/{id} — only the fields that changed, with a reason. */
export function EditCaseModal({ c, ...p }: ModalProps & { c: Case }) {
  const closed = c.status !== "open";
  return (
    <ActionModal<{ caseNumber: string; cause: string; filedOn: Dayjs; adjudicatedAmount: string; performBy: Dayjs | null; reason: string }>
      name="edit-case"
      open={p.open}
      onClose={p.onClose}
      title={`更正案件信息 · ${c.caseNumber}`}
      submitText="保存更正"
      initialValues={{
        caseNumber: c.caseNumber,
        cause: c.cause,
        filedOn: fromDateString(c.filedOn),
        adjudicatedAmount: c.adjudicatedAmount,
        performBy: c.performBy ? fromDateString(c.performBy) : null,
      }}
      onSubmit={async (v) => {
        const body: Schemas["CaseUpdate"] = { reason: v.reason.trim() };
        if (v.caseNumber.trim() !== c.caseNumber) body.caseNumber = v.caseNumber.trim();
        if (v.cause.trim() !== c.cause) body.cause = v.cause.trim();
        if (!closed && toDateString(v.filedOn) !== c.filedOn) body.filedOn = toDateString(v.filedOn);
        if (!closed && v.adjudicatedAmount !== c.adjudicatedAmount) body.adjudicatedAmount = v.adjudicatedAmount;
        const performBy = v.performBy ? toDateString(v.performBy) : null;
        if (performBy !== c.performBy) body.performBy = performBy;
        unwrap(await api.PATCH("/v1/cases/{id}", { params: { path: { id: c.id } }, body }));
        p.onDone("案件信息已更正");
      }}
    >
      <Form.Item name="caseNumber" label="案号" rules={[{ required: true, whitespace: true, message: "请输入案号" }]}>
        <Input autoFocus maxLength={100} />
      </Form.Item>
      <Form.Item name="cause" label="案由" rules={[{ required: true, whitespace: true, message: "请输入案由" }]}>
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item name="filedOn" label="立案日期" rules={[{ required: true, message: "请选择立案日期" }]} extra={closed ? "已结案件不能更正立案日期" : "不能晚于首笔到账日"}>
        <DatePicker format={DATE_FORMAT} style={{ width: "100%" }} disabled={closed} disabledDate={(d) => d.isAfter(todayDayjs(), "day")} />
      </Form.Item>
      <Form.Item name="adjudicatedAmount" label="执行标的（元）" rules={moneyRules({ required: true })} extra="不能低于已发放和已预留的金额；更正后重新计算履行完毕日">
        <Input inputMode="decimal" autoComplete="off" disabled={closed} />
      </Form.Item>
      <Form.Item name="performBy" label="判决履行期限（迟延履行利息自此计算）">
        <DatePicker format={DATE_FORMAT} style={{ width: "100%" }} allowClear />
      </Form.Item>
      {reasonItem}
    </ActionModal>
  );
}

/** 更正当事人: PATCH /v1/parties/{id} — name, kind, id number; never the bank account. */
export function EditPartyModal({ party, ...p }: ModalProps & { party: Party }) {
  return (
    <ActionModal<{ name: string; kind: Party["kind"]; idNumber?: string; reason: string }>
      name="edit-party"
      open={p.open}
      onClose={p.onClose}
      title={`更正当事人 · ${party.name}`}
      submitText="保存更正"
      initialValues={{ name: party.name, kind: party.kind }}
      onSubmit={async (v) => {
        const body: Schemas["PartyUpdate"] = { reason: v.reason.trim() };
        if (v.name.trim() !== party.name) body.name = v.name.trim();
        if (v.kind !== party.kind) body.kind = v.kind;
        if (v.idNumber?.trim()) body.idNumber = v.idNumber.trim();
        unwrap(await api.PATCH("/v1/parties/{id}", { params: { path: { id: party.id } }, body }));
        p.onDone("当事人信息已更正");
      }}
    >
      <Typography.Paragraph type="secondary">收款账户只能通过"申请变更账户"变更，须另一人审批。</Typography.Paragraph>
      <Form.Item name="name" label="姓名/名称" rules={[{ required: true, whitespace: true, message: "请输入姓名或名称" }]}>
        <Input autoFocus maxLength={200} />
      </Form.Item>
      <Form.Item name="kind" label="类型">
        <Select options={kindOptions} />
      </Form.Item>
      <Form.Item name="idNumber" label={`证件号码（现为 ${party.idNumberMasked ?? "未登记"}；不改请留空）`} rules={[{ pattern: ID_NUMBER, message: "4–64 位字母、数字或 -" }]}>
        <Input autoComplete="off" />
      </Form.Item>
      {reasonItem}
    </ActionModal>
  );
}

/** 追加当事人: POST /v1/cases/{id}/parties; an account given here waits for a second person. */
export function AddPartyModal({ c, ...p }: ModalProps & { c: Case }) {
  return (
    <ActionModal<{ role: Party["role"]; name: string; kind: Party["kind"]; idNumber?: string; bankName?: string; accountName?: string; accountNumber?: string }>
      name="add-party"
      open={p.open}
      onClose={p.onClose}
      title={`追加当事人 · ${c.caseNumber}`}
      submitText="追加"
      initialValues={{ role: "debtor", kind: "person" }}
      onSubmit={async (v) => {
        const body: Schemas["PartyCreate"] = { role: v.role, name: v.name.trim(), kind: v.kind };
        if (v.idNumber?.trim()) body.idNumber = v.idNumber.trim();
        if (v.accountNumber?.trim()) {
          body.bankAccount = { bankName: (v.bankName ?? "").trim(), accountName: (v.accountName ?? "").trim(), accountNumber: v.accountNumber.trim() };
        }
        const party = unwrap(await api.POST("/v1/cases/{id}/parties", { params: { path: { id: c.id } }, body }));
        p.onDone(body.bankAccount ? `已追加 ${party.name}；收款账户须另一人审批后生效` : `已追加 ${party.name}`);
      }}
    >
      <Form.Item name="role" label="身份">
        <Select options={[{ value: "applicant", label: "申请执行人" }, { value: "debtor", label: "被执行人" }]} />
      </Form.Item>
      <Form.Item name="name" label="姓名/名称" rules={[{ required: true, whitespace: true, message: "请输入姓名或名称" }]}>
        <Input autoFocus maxLength={200} />
      </Form.Item>
      <Form.Item name="kind" label="类型">
        <Select options={kindOptions} />
      </Form.Item>
      <Form.Item name="idNumber" label="证件号码" rules={[{ pattern: ID_NUMBER, message: "4–64 位字母、数字或 -" }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Typography.Paragraph type="secondary">收款账户（可不填；填写后须另一人审批方生效）</Typography.Paragraph>
      <Form.Item name="bankName" label="开户行">
        <Input />
      </Form.Item>
      <Form.Item name="accountName" label="户名">
        <Input />
      </Form.Item>
      <Form.Item name="accountNumber" label="账号" rules={[{ pattern: /^[0-9]{8,32}$/, message: "账号为 8–32 位数字" }]}>
        <Input autoComplete="off" />
      </Form.Item>
    </ActionModal>
  );
}

/** 登记代理人: POST /v1/parties/{id}/agents with the power of attorney; an approver approves. */
export function AgentModal({ party, ...p }: ModalProps & { party: Party }) {
  return (
    <ActionModal<{
      name: string;
      idNumber?: string;
      lawFirm?: string;
      specialAuthority: boolean;
      number: string;
      signedOn: Dayjs;
      bankName?: string;
      accountName?: string;
      accountNumber?: string;
    }>
      name="agent"
      open={p.open}
      onClose={p.onClose}
      title={`登记代理人 · ${party.name}`}
      submitText="提交审批"
      initialValues={{ specialAuthority: false }}
      onSubmit={async (v) => {
        const body: Schemas["AgentCreate"] = {
          name: v.name.trim(),
          specialAuthority: v.specialAuthority,
          authorityDocument: { number: v.number.trim(), signedOn: toDateString(v.signedOn) },
        };
        if (v.idNumber?.trim()) body.idNumber = v.idNumber.trim();
        if (v.lawFirm?.trim()) body.lawFirm = v.lawFirm.trim();
        if (v.accountNumber?.trim()) {
          body.bankAccount = { bankName: (v.bankName ?? "").trim(), accountName: (v.accountName ?? "").trim(), accountNumber: v.accountNumber.trim() };
        }
        unwrap(await api.POST("/v1/parties/{id}/agents", { params: { path: { id: party.id } }, body }));
        p.onDone("代理人已登记，须审批人（非本人）审核授权委托书后生效");
      }}
    >
      <Form.Item name="name" label="代理人姓名" rules={[{ required: true, whitespace: true, message: "请输入代理人姓名" }]}>
        <Input autoFocus maxLength={200} />
      </Form.Item>
      <Form.Item name="idNumber" label="证件号码" rules={[{ pattern: ID_NUMBER, message: "4–64 位字母、数字或 -" }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="lawFirm" label="律师事务所">
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="number" label="授权委托书编号" rules={[{ required: true, whitespace: true, message: "请输入授权委托书编号" }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="signedOn" label="签署日期" rules={[{ required: true, message: "请选择签署日期" }]}>
        <DatePicker format={DATE_FORMAT} style={{ width: "100%" }} disabledDate={(d) => d.isAfter(todayDayjs(), "day")} />
      </Form.Item>
      <Form.Item name="specialAuthority" valuePropName="checked" extra="授权委托书明确载明代为领取执行款的，方可向代理人发放（执行工作规定第20条）">
        <Checkbox>特别授权：代为领取执行款</Checkbox>
      </Form.Item>
      <Typography.Paragraph type="secondary">代理人收款账户</Typography.Paragraph>
      <Form.Item name="bankName" label="开户行">
        <Input />
      </Form.Item>
      <Form.Item name="accountName" label="户名">
        <Input />
      </Form.Item>
      <Form.Item name="accountNumber" label="账号" rules={[{ pattern: /^[0-9]{8,32}$/, message: "账号为 8–32 位数字" }]}>
        <Input autoComplete="off" />
      </Form.Item>
    </ActionModal>
  );
}
