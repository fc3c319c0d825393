import { useQuery } from "@tanstack/react-query";
import Card from "antd/es/card";
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
export function AmountOwedCard({ caseId }: { caseId: string }) {
  const q = useQuery({
    queryKey: ["amount-owed", caseId],
    queryFn: async (): Promise<Schemas["AmountOwed"]> => unwrap(await api.GET("/v1/cases/{id}/amount-owed", { params: { path: { id: caseId }, query: {} } })),
  });
  const a = q.data;
  return (
    <Card title="应履行金额" style={{ marginTop: 16 }} data-testid="amount-owed" extra={a ? <span>截至 {a.asOf}</span> : null}>
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
    </Card>
  );
}
