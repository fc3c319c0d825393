import { useQuery } from "@tanstack/react-query";
import Button from "antd/es/button";
import Form from "antd/es/form";
import Input from "antd/es/input";
import InputNumber from "antd/es/input-number";
import Select from "antd/es/select";
import Space from "antd/es/space";
import Switch from "antd/es/switch";
import Typography from "antd/es/typography";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ActionModal } from "../../components/ActionModal";
import { Loading, moneyRules } from "../../components/common";

type Band = { upTo?: string; days: number; kind: "calendar" | "working" };
type Level = { above: string; levels: number };
type Values = { disbursementDeadlines: Band[]; approvalLevels: Level[]; chargeExecutionFee: boolean; feeBankName?: string; feeAccountName?: string; feeAccountNumber?: string };

/** The fee account as sent: all three fields, or none (null clears it). */
function feeAccountOf(v: Values): Schemas["CourtAccount"] | null {
  const [bankName, accountName, accountNumber] = [v.feeBankName, v.feeAccountName, v.feeAccountNumber].map((x) => x?.trim() ?? "");
  return bankName || accountName || accountNumber ? { bankName, accountName, accountNumber } : null;
}

/**
 * 本院规则 (issue 14): stricter local disbursement deadlines by amount band, approval levels by
 * amount, whether the court collects the execution fee, and its fee account (诉讼费专户, which
 * 执行费 batch items pay). PATCH /v1/courts/{id}; the server
 * refuses a deadline longer than the statutory 30 days and a level without approvers.
 */
export function CourtRulesModal({ court, onClose, onDone }: { court: Schemas["Court"]; onClose: () => void; onDone: (text: string) => void }) {
  const detail = useQuery({ queryKey: ["court", court.id], queryFn: async () => unwrap(await api.GET("/v1/courts/{id}", { params: { path: { id: court.id } } })) });
  if (!detail.data) return <Loading />;
  const s = detail.data.settings;
  return (
    <ActionModal<Values>
      name="court-rules"
      open
      width={720}
      title={`本院规则 · ${court.name}`}
      onClose={onClose}
      initialValues={{
        disbursementDeadlines: s.disbursementDeadlines.map((b) => ({ ...b })),
        approvalLevels: s.approvalLevels.map((l) => ({ ...l })),
        chargeExecutionFee: s.chargeExecutionFee,
        feeBankName: s.feeAccount?.bankName,
        feeAccountName: s.feeAccount?.accountName,
        feeAccountNumber: s.feeAccount?.accountNumber,
      }}
      onSubmit={async (v) => {
        const bands = (v.disbursementDeadlines ?? []).map((b, i, all) => ({
          ...(i < all.length - 1 && b.upTo ? { upTo: b.upTo.trim() } : {}),
          days: b.days,
          kind: b.kind,
        }));
        const levels = (v.approvalLevels ?? []).map((l) => ({ above: l.above.trim(), levels: l.levels }));
        unwrap(await api.PATCH("/v1/courts/{id}", { params: { path: { id: court.id } }, body: { disbursementDeadlines: bands, approvalLevels: levels, chargeExecutionFee: v.chargeExecutionFee, feeAccount: feeAccountOf(v) } }));
        onDone("本院规则已保存");
      }}
    >
      <Typography.Title level={5}>发放期限（比法定30日更严的本院期限，按金额分档；最后一档不填上限）</Typography.Title>
      <Form.List name="disbursementDeadlines">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} align="baseline">
                <Form.Item name={[f.name, "upTo"]} rules={moneyRules()}>
                  <Input placeholder="金额上限（元）" aria-label="金额上限" style={{ width: 160 }} />
                </Form.Item>
                <Form.Item name={[f.name, "days"]} rules={[{ required: true, message: "天数" }]}>
                  <InputNumber min={1} max={30} placeholder="天数" aria-label="天数" />
                </Form.Item>
                <Form.Item name={[f.name, "kind"]} initialValue="working">
                  <Select style={{ width: 120 }} options={[{ value: "working", label: "工作日" }, { value: "calendar", label: "自然日" }]} />
                </Form.Item>
                <Button onClick={() => remove(f.name)}>删除</Button>
              </Space>
            ))}
            <Button onClick={() => add({ kind: "working" })}>添加一档</Button>
          </>
        )}
      </Form.List>
      <Typography.Title level={5} style={{ marginTop: 16 }}>审批层级（批次金额超过该数额时所需审批人数）</Typography.Title>
      <Form.List name="approvalLevels">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} align="baseline">
                <Form.Item name={[f.name, "above"]} rules={moneyRules({ required: true })}>
                  <Input placeholder="超过（元）" aria-label="超过金额" style={{ width: 160 }} />
                </Form.Item>
                <Form.Item name={[f.name, "levels"]} rules={[{ required: true, message: "人数" }]}>
                  <InputNumber min={2} max={5} placeholder="审批人数" aria-label="审批人数" />
                </Form.Item>
                <Button onClick={() => remove(f.name)}>删除</Button>
              </Space>
            ))}
            <Button onClick={() => add({ levels: 2 })}>添加层级</Button>
          </>
        )}
      </Form.List>
      <Form.Item name="chargeExecutionFee" label="本院代收执行申请费（计入被执行人应履行金额）" valuePropName="checked" style={{ marginTop: 16 }}>
        <Switch />
      </Form.Item>
      <Typography.Title level={5}>诉讼费专户 Fee account（执行费发放至此账户；三项全填或全空）</Typography.Title>
      <Space align="baseline" wrap>
        <Form.Item name="feeBankName" dependencies={["feeAccountName", "feeAccountNumber"]} rules={[({ getFieldValue }) => ({ validator: async (_r, v?: string) => { if (!v?.trim() && (getFieldValue("feeAccountName")?.trim() || getFieldValue("feeAccountNumber")?.trim())) throw new Error("请输入开户行"); } })]}>
          <Input placeholder="开户行" aria-label="专户开户行" style={{ width: 200 }} maxLength={200} />
        </Form.Item>
        <Form.Item name="feeAccountName" dependencies={["feeBankName", "feeAccountNumber"]} rules={[({ getFieldValue }) => ({ validator: async (_r, v?: string) => { if (!v?.trim() && (getFieldValue("feeBankName")?.trim() || getFieldValue("feeAccountNumber")?.trim())) throw new Error("请输入户名"); } })]}>
          <Input placeholder="户名" aria-label="专户户名" style={{ width: 220 }} maxLength={200} />
        </Form.Item>
        <Form.Item name="feeAccountNumber" rules={[{ pattern: /^[0-9]{8,32}$/, message: "账号为 8–32 位数字" }]}>
          <Input placeholder="账号" aria-label="专户账号" style={{ width: 220 }} autoComplete="off" />
        </Form.Item>
      </Space>
    </ActionModal>
  );
}
