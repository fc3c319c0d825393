import { useQuery } from "@tanstack/react-query";
import Card from "antd/es/card";
import Col from "antd/es/col";
import Row from "antd/es/row";
import Statistic from "antd/es/statistic";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import Space from "antd/es/space";
import { useState } from "react";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { CourtSelect } from "../../components/CourtSelect";
import { Loading, Money, PageHeader, PrintButton } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { formatTimestamp } from "../../lib/dates";
import { isZero } from "../../lib/money";

export default function ReconciliationPage() {
  const [courtId, setCourtId] = useState<string | undefined>();
  const q = useQuery({
    queryKey: ["reconciliation", courtId],
    enabled: !!courtId,
    queryFn: async () => unwrap(await api.GET("/v1/reconciliation", { params: { query: { courtId: courtId! } } })),
  });
  return (
    <div>
      <PageHeader title="对账" sub="Three-way: the bank's statement, the ledger's bank account, and the cases' held money plus unclaimed money" extra={<Space><CourtSelect value={courtId} onChange={setCourtId} /><PrintButton /></Space>} />
      <ProblemAlert error={q.error} />
      {q.isFetching && !q.data ? <Loading /> : null}
      {q.data ? (
        <Card title={<span>截至 {formatTimestamp(q.data.asOf)} {isZero(q.data.difference) ? <Tag color="green">账实相符</Tag> : <Tag color="red">不相符</Tag>}</span>}>
          <Row gutter={16}>
            <Col span={8} style={{ marginBottom: 16 }}><Statistic title="银行对账单余额" value={q.data.statement?.closingBalance ?? "—"} formatter={() => (q.data!.statement ? <span data-testid="statement-balance"><Money value={q.data!.statement.closingBalance} wan /><div style={{ fontSize: 12 }}>截至 {q.data!.statement.periodTo}</div></span> : "尚未导入")} /></Col>
            <Col span={8} style={{ marginBottom: 16 }}><Statistic title="专户余额（账面）" value={q.data.bankBalance} formatter={() => <Money value={q.data!.bankBalance} wan />} /></Col>
            <Col span={8} style={{ marginBottom: 16 }}><Statistic title="各案在账款合计" value={q.data.caseBalancesTotal} formatter={() => <Money value={q.data!.caseBalancesTotal} wan />} /></Col>
            <Col span={8} style={{ marginBottom: 16 }}><Statistic title="不明款（待认领）" value={q.data.unclaimedTotal} formatter={() => <Money value={q.data!.unclaimedTotal} wan />} /></Col>
            <Col span={8} style={{ marginBottom: 16 }}><Statistic title="账面 − 各案 − 不明款" value={q.data.difference} formatter={() => <span data-testid="ledger-difference"><Money value={q.data!.difference} danger={!isZero(q.data!.difference)} strong /></span>} /></Col>
            <Col span={8} style={{ marginBottom: 16 }}><Statistic title="对账单 − 账面" value={q.data.statementVsLedger ?? "—"} formatter={() => (q.data!.statementVsLedger === null ? "—" : <span data-testid="statement-difference"><Money value={q.data!.statementVsLedger} danger={!isZero(q.data!.statementVsLedger)} strong /></span>)} /></Col>
          </Row>
        </Card>
      ) : null}
      {q.data ? (
        <Card style={{ marginTop: 16 }} title="未达账项">
          <Table
            rowKey="entryId"
            size="small"
            pagination={false}
            title={() => "账面已记、对账单未见（手工登记的到账、已执行的发放）"}
            dataSource={q.data.unclearedLedger}
            columns={[
              { title: "日期", dataIndex: "effectiveOn" },
              { title: "类别", dataIndex: "kind" },
              { title: "金额", dataIndex: "signedAmount", align: "right", render: (v: string) => <Money value={v} /> },
            ]}
          />
          <Table
            style={{ marginTop: 12 }}
            rowKey="id"
            size="small"
            pagination={false}
            title={() => "对账单已有、账面未记（未匹配的支出）"}
            dataSource={q.data.unclearedStatement}
            columns={[
              { title: "起息日", dataIndex: "valueDate" },
              { title: "附言", dataIndex: "remark" },
              { title: "金额", dataIndex: "amount", align: "right", render: (v: string) => <Money value={v} /> },
            ]}
          />
        </Card>
      ) : null}
    </div>
  );
}
