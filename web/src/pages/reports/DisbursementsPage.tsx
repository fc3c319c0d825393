import { useQuery } from "@tanstack/react-query";
import Card from "antd/es/card";
import Col from "antd/es/col";
import Row from "antd/es/row";
import Statistic from "antd/es/statistic";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import Typography from "antd/es/typography";
import { Link } from "react-router";
import { api, type Schemas } from "../../api/client";
import { jsonOf, unwrap } from "../../api/errors";
import { Loading, Money, PageHeader, PrintButton } from "../../components/common";
import { MonthChart } from "../../components/MonthChart";
import { PeriodFilter, usePeriod } from "../../components/PeriodFilter";
import { ProblemAlert } from "../../components/Problem";
import { DownloadButtons, PrintablePage } from "../../components/ReportTools";
import { chinaToday } from "../../lib/dates";
import { ProofPackTools } from "./ProofPackTools";

export default function DisbursementsPage() {
  const period = usePeriod();
  const query = { from: period.from, to: period.to, courtId: period.courtId };
  const report = useQuery({ queryKey: ["report", "disbursements", query], queryFn: async () => jsonOf(unwrap(await api.GET("/v1/reports/disbursements", { params: { query } }))) });
  // The overdue list on the period's last day (or today, if earlier), as on the printable page.
  const asOf = period.to < chinaToday() ? period.to : chinaToday();
  const held = useQuery({ queryKey: ["report", "held", { asOf, courtId: period.courtId }], queryFn: async () => jsonOf(unwrap(await api.GET("/v1/reports/held-funds", { params: { query: { asOf, courtId: period.courtId } } }))) });
  const r = report.data;

  return (
    <div>
      <PageHeader
        title="案款发放报表"
        sub="Disbursement report for the inspection team"
        extra={
          <>
            <DownloadButtons baseName={`disbursements-${period.from}-${period.to}`} fetcher={(format) => api.GET("/v1/reports/disbursements", { params: { query: { ...query, format } }, parseAs: "blob" })} />
            <PrintablePage title="案款发放报表（打印版）" fetchHtml={() => api.GET("/v1/reports/disbursements.html", { params: { query }, parseAs: "text" })} />
            <PrintButton />
            <ProofPackTools query={query} />
          </>
        }
      />
      <PeriodFilter period={period} />
      <ProblemAlert error={report.error} />
      {report.isLoading ? <Loading tip="正在生成报表…" /> : null}
      {r ? (
        <>
          <Card>
            <div className="summary-zh" data-testid="summary-zh">{r.summary.zh}</div>
            <Typography.Text type="secondary" data-testid="summary-en">{r.summary.en}</Typography.Text>
            <div><Typography.Text type="secondary">{r.from} 至 {r.to}</Typography.Text></div>
            <Row gutter={16} style={{ marginTop: 16 }}>
              <Col span={6}><Statistic title="涉及案件" value={r.cases} suffix="件" /></Col>
              <Col span={6}><Statistic title="发放笔数" value={r.payouts} suffix="笔" /></Col>
              <Col span={6}><Statistic title="发放金额（万元）" value={r.display.wanYuan} formatter={() => <span className="money">{r.display.wanYuan}</span>} /></Col>
              <Col span={6}><Statistic title="发放金额（元）" value={r.total} formatter={() => <Money value={r.total} />} /></Col>
            </Row>
          </Card>
          <Row gutter={16} style={{ marginTop: 16 }}>
            <Col span={14}>
              <Card title="按月发放">
                <MonthChart months={r.byMonth} />
              </Card>
            </Col>
            <Col span={10}>
              <Card title="发放时效（自到账至发放）">
                <Row gutter={[16, 16]}>
                  <Col span={12}><Statistic title="中位天数" value={r.timeliness.medianDays ?? "—"} /></Col>
                  <Col span={12}><Statistic title="90% 分位天数" value={r.timeliness.p90Days ?? "—"} /></Col>
                  <Col span={12}><Statistic title="30 日内发放" value={r.timeliness.within30Days} suffix="笔" /></Col>
                  <Col span={12}><Statistic title="超过 30 日" value={r.timeliness.over30Days} suffix="笔" valueStyle={{ color: r.timeliness.over30Days ? "#cf1322" : undefined }} /></Col>
                </Row>
                <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>{r.conventions.timeliness}</Typography.Paragraph>
              </Card>
            </Col>
          </Row>
          <Card title="按法院" style={{ marginTop: 16 }}>
            <Table<Schemas["DisbursementReport"]["byCourt"][number]>
              rowKey="courtId"
              size="small"
              pagination={false}
              dataSource={r.byCourt}
              columns={[
                { title: "法院", render: (_, c) => `${c.courtName}（${c.courtCode}）` },
                { title: "案件", dataIndex: "cases" },
                { title: "笔数", dataIndex: "payouts" },
                { title: "金额", align: "right", render: (_, c) => <Money value={c.total} wan /> },
              ]}
            />
          </Card>
        </>
      ) : null}
      <Card title={`逾期未发放（截至 ${asOf}）`} style={{ marginTop: 16 }}>
        <ProblemAlert error={held.error} />
        <OverdueTable rows={held.data?.overdue ?? []} loading={held.isLoading} />
      </Card>
    </div>
  );
}

export function OverdueTable({ rows, loading }: { rows: Schemas["HeldFundsReport"]["overdue"]; loading?: boolean }) {
  return (
    <Table<Schemas["HeldFundsReport"]["overdue"][number]>
      rowKey="receiptId"
      size="small"
      loading={loading}
      dataSource={rows}
      pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      locale={{ emptyText: "无逾期未发放款项" }}
      rowClassName={() => "row-overdue"}
      columns={[
        { title: "案号", dataIndex: "caseNumber", render: (v: string, o) => <Link to={`/cases/${o.caseId}`}>{v}</Link> },
        { title: "到账日", dataIndex: "receivedOn" },
        { title: "应发放日", dataIndex: "disburseBy" },
        // Issue 14: both deadlines, and which one the money is past.
        { title: "法定期限（30日）", dataIndex: "statutoryDisburseBy" },
        { title: "本院期限", dataIndex: "localDisburseBy", render: (d: string | null) => d ?? "—" },
        { title: "逾期天数", dataIndex: "daysOverdue", render: (d: number) => <span style={{ color: "#cf1322", fontWeight: 600 }}>{d} 天</span> },
        {
          title: "超期类型",
          dataIndex: "pastStatutory",
          render: (past: boolean, o) => (past ? <Tag color="red" data-testid="past-statutory">超法定期限 {o.daysOverdueStatutory} 天</Tag> : <Tag color="orange" data-testid="past-local-only">仅超本院期限</Tag>),
        },
        { title: "未发放金额", align: "right", render: (_, o) => <Money value={o.amount} danger /> },
      ]}
    />
  );
}
