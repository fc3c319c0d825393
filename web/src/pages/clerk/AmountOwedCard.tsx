import { useQuery, useQueryClient } from "@tanstack/react-query";
import App from "antd/es/app";
import Button from "antd/es/button";
import Card from "antd/es/card";
import Checkbox from "antd/es/checkbox";
import DatePicker from "antd/es/date-picker";
import Form from "antd/es/form";
import Input from "antd/es/input";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { ActionModal } from "../../components/ActionModal";
import { DATE_FORMAT, toDateString } from "../../lib/dates";
import Descriptions from "antd/es/descriptions";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import Typography from "antd/es/typography";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { Money } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";

/**
 * 应履行金额 (GET /v1/cases/{id}/amount-owed): principal, doubled delay interest (民诉法第264条,
 * 法释〔2014〕8号: 未清偿本金 × 日万分之一点七五 × 迟延天数), the execution fee (诉讼费用交纳办法第14条),
 * every interest line shown so that it can be checked with a calculator.
 */
export function AmountOwedCard({ caseId, canRecord = false }: { caseId: string; canRecord?: boolean }) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [recording, setRecording] = useState(false);
  const q = useQuery({
    queryKey: ["amount-owed", caseId],
    queryFn: async (): Promise<Schemas["AmountOwed"]> => unwrap(await api.GET("/v1/cases/{id}/amount-owed", { params: { path: { id: caseId }, query: {} } })),
  });
  const a = q.data;
  return (
    <Card title="应履行金额" style={{ marginTop: 16 }} data-testid="amount-owed" extra={a ? <span>截至 {a.asOf}{canRecord && !a.performance && !a.fullyPerformedOn ? <Button size="small" style={{ marginLeft: 12 }} onClick={() => setRecording(true)}>登记履行完毕</Button> : null}</span> : null}>
      <ProblemAlert error={q.error} />
      {a ? (
        <>
          <Descriptions column={3} size="small">
            <Descriptions.Item label="本金">
              <Money value={a.principal} wan />
            </Descriptions.Item>
            <Descriptions.Item label="迟延履行期间加倍部分债务利息">
              {a.performBy ? <Money value={a.delayInterest} /> : <Typography.Text type="secondary">未设履行期限，不计</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label="执行申请费">
              <Money value={a.executionFee} /> {a.executionFeeCharged ? <Tag color="gold">本院代收</Tag> : <Tag>不计入</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label="应履行合计">
              <Money value={a.total} strong />
            </Descriptions.Item>
            <Descriptions.Item label="已到账">
              <Money value={a.paid} />
            </Descriptions.Item>
            <Descriptions.Item label="尚欠">
              <span data-testid="amount-outstanding"><Money value={a.outstanding} strong danger={a.outstanding !== "0.00"} /></span>
            </Descriptions.Item>
            <Descriptions.Item label="履行期限">{a.performBy ?? "—"}</Descriptions.Item>
            <Descriptions.Item label="履行完毕日">{a.fullyPerformedOn ?? "—"}</Descriptions.Item>
            {a.executionFeeCharged ? (
              <Descriptions.Item label="执行费已缴入诉讼费专户">
                <span data-testid="fee-paid-out"><Money value={a.executionFeePaidOut} /></span>
                {a.executionFeeUnpaid !== "0.00" ? <Typography.Text type="secondary">（未缴 <Money value={a.executionFeeUnpaid} />）</Typography.Text> : null}
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label="登记履行">{a.performance ? `${a.performance.performedOn}${a.performance.waived.delayInterest ? "（申请人放弃迟延利息）" : ""}` : "—"}</Descriptions.Item>
          </Descriptions>
          {a.basis.length > 0 ? (
            <Table<Schemas["InterestBasisLine"]>
              size="small"
              rowKey={(l) => l.from}
              pagination={false}
              dataSource={a.basis}
              columns={[
                { title: "起", dataIndex: "from" },
                { title: "止", dataIndex: "to" },
                { title: "天数", dataIndex: "days", align: "right" },
                { title: "计息本金", dataIndex: "principalBase", align: "right", render: (v: string) => <Money value={v} /> },
                { title: "利息（×0.000175×天数）", dataIndex: "interest", align: "right", render: (v: string) => <Money value={v} /> },
              ]}
            />
          ) : null}
        </>
      ) : null}
      {recording ? (
        <ActionModal<{ performedOn: Dayjs; waived?: boolean; note: string }>
          name="record-performance"
          open
          title="登记履行完毕"
          onClose={() => setRecording(false)}
          onSubmit={async (v) => {
            const body: Schemas["PerformanceCreate"] = { performedOn: toDateString(v.performedOn), note: v.note.trim(), ...(v.waived ? { waived: { delayInterest: true } } : {}) };
            unwrap(await api.POST("/v1/cases/{id}/performance", { params: { path: { id: caseId } }, body }));
            message.success("已登记履行完毕，失信名单删除期限自该日起算");
            for (const key of ["amount-owed", "case", "listings"]) qc.invalidateQueries({ queryKey: [key] });
          }}
        >
          <Form.Item name="performedOn" label="履行完毕日（实际日期）" rules={[{ required: true, message: "请选择日期" }]}>
            <DatePicker format={DATE_FORMAT} aria-label="履行完毕日" />
          </Form.Item>
          <Form.Item name="waived" valuePropName="checked">
            <Checkbox>申请执行人放弃迟延履行期间的债务利息</Checkbox>
          </Form.Item>
          <Form.Item name="note" label="说明" rules={[{ required: true, whitespace: true, message: "请填写说明" }]}>
            <Input.TextArea rows={3} maxLength={2000} aria-label="说明" />
          </Form.Item>
        </ActionModal>
      ) : null}
    </Card>
  );
}
