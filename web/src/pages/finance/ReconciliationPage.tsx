import { useQuery } from "@tanstack/react-query";
import Card from "antd/es/card";
import Col from "antd/es/col";
import Row from "antd/es/row";
import Statistic from "antd/es/statistic";
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
      <PageHeader title="对账" sub="The court's ledger bank balance against the sum of its case balances" extra={<Space><CourtSelect value={courtId} onChange={setCourtId} /><PrintButton /></Space>} />
      <ProblemAlert error={q.error} />
      {q.isFetching && !q.data ? <Loading /> : null}
      {q.data ? (
        <Card title={<span>截至 {formatTimestamp(q.data.asOf)} {isZero(q.data.difference) ? <Tag color="green">账实相符</Tag> : <Tag color="red">不相符</Tag>}</span>}>
          <Row gutter={16}>
            <Col span={6}><Statistic title="专户余额（账面）" value={q.data.bankBalance} formatter={() => <Money value={q.data!.bankBalance} wan />} /></Col>
            <Col span={6}><Statistic title="各案在账款合计" value={q.data.caseBalancesTotal} formatter={() => <Money value={q.data!.caseBalancesTotal} wan />} /></Col>
            <Col span={6}><Statistic title="差额" value={q.data.difference} formatter={() => <Money value={q.data!.difference} danger={!isZero(q.data!.difference)} strong />} /></Col>
            <Col span={6}><Statistic title="有余额记录的案件" value={q.data.cases} /></Col>
          </Row>
        </Card>
      ) : null}
    </div>
  );
}
