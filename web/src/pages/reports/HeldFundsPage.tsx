import { useQuery } from "@tanstack/react-query";
import Card from "antd/es/card";
import Col from "antd/es/col";
import DatePicker from "antd/es/date-picker";
import Form from "antd/es/form";
import Row from "antd/es/row";
import Statistic from "antd/es/statistic";
import Table from "antd/es/table";
import { useState } from "react";
import { Link } from "react-router";
import { api, type Schemas } from "../../api/client";
import { jsonOf, unwrap } from "../../api/errors";
import { CourtSelect } from "../../components/CourtSelect";
import { Loading, Money, PageHeader, PrintButton } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { DownloadButtons } from "../../components/ReportTools";
import { chinaToday, DATE_FORMAT, fromDateString, toDateString } from "../../lib/dates";
import { OverdueTable } from "./DisbursementsPage";

const BUCKET: Record<string, string> = { "0-30": "30 日以内", "31-90": "31–90 日", "91-365": "91–365 日", "365+": "一年以上" };

export default function HeldFundsPage() {
  const [asOf, setAsOf] = useState(chinaToday());
  const [courtId, setCourtId] = useState<string | undefined>();
  const query = { asOf, courtId };
  const q = useQuery({ queryKey: ["report", "held", query], queryFn: async () => jsonOf(unwrap(await api.GET("/v1/reports/held-funds", { params: { query } }))) });
  const r = q.data;
  return (
    <div>
      <PageHeader
        title="在账款账龄"
        sub="Undisbursed money, aged, with the overdue list"
        extra={
          <>
            <DownloadButtons baseName={`held-funds-${asOf}`} fetcher={(format) => api.GET("/v1/reports/held-funds", { params: { query: { ...query, format } }, parseAs: "blob" })} />
            <PrintButton />
          </>
        }
      />
      <Form layout="inline" className="filters no-print">
        <Form.Item label="截至日期">
          <DatePicker format={DATE_FORMAT} allowClear={false} value={fromDateString(asOf)} onChange={(d) => d && setAsOf(toDateString(d))} />
        </Form.Item>
        <Form.Item label="法院">
          <CourtSelect allowAll value={courtId} onChange={setCourtId} />
        </Form.Item>
      </Form>
      <ProblemAlert error={q.error} />
      {q.isLoading ? <Loading /> : null}
      {r ? (
        <>
          <Card>
            <Row gutter={16}>
              <Col span={6}><Statistic title="在账款" value={r.totals.held} formatter={() => <Money value={r.totals.held} wan />} /></Col>
              <Col span={6}><Statistic title="其中逾期" value={r.totals.overdue} formatter={() => <Money value={r.totals.overdue} danger strong />} /></Col>
              <Col span={6}><Statistic title="有在账款的案件" value={r.totals.cases} suffix="件" /></Col>
              <Col span={6}><Statistic title="逾期案件" value={r.totals.overdueCases} suffix="件" valueStyle={{ color: r.totals.overdueCases ? "#cf1322" : undefined }} /></Col>
            </Row>
            <Row gutter={16} style={{ marginTop: 12 }} data-testid="overdue-by-deadline">
              <Col span={6}><Statistic title="仅超本院期限" value={r.totals.overdueByDeadline.localOnly.amount} formatter={() => <Money value={r.totals.overdueByDeadline.localOnly.amount} />} /></Col>
              <Col span={6}><Statistic title="仅超本院期限案件" value={r.totals.overdueByDeadline.localOnly.cases} suffix="件" /></Col>
              <Col span={6}><Statistic title="超法定30日" value={r.totals.overdueByDeadline.statutory.amount} formatter={() => <Money value={r.totals.overdueByDeadline.statutory.amount} danger strong />} /></Col>
              <Col span={6}><Statistic title="超法定30日案件" value={r.totals.overdueByDeadline.statutory.cases} suffix="件" valueStyle={{ color: r.totals.overdueByDeadline.statutory.cases ? "#cf1322" : undefined }} /></Col>
            </Row>
          </Card>
          <Row gutter={16} style={{ marginTop: 16 }}>
            <Col span={10}>
              <Card title="账龄">
                <Table<Schemas["HeldFundsReport"]["aging"][number]>
                  rowKey="bucket"
                  size="small"
                  pagination={false}
                  dataSource={r.aging}
                  columns={[
                    { title: "账龄", dataIndex: "bucket", render: (b: string) => BUCKET[b] ?? b },
                    { title: "笔数", dataIndex: "receipts" },
                    { title: "金额", align: "right", render: (_, a) => <Money value={a.amount} /> },
                  ]}
                />
              </Card>
            </Col>
            <Col span={14}>
              <Card title="逾期未发放">
                <OverdueTable rows={r.overdue} />
              </Card>
            </Col>
          </Row>
          <Card title="各案在账款" style={{ marginTop: 16 }}>
            <Table<Schemas["HeldFundsReport"]["cases"][number]>
              rowKey="caseId"
              size="small"
              dataSource={r.cases}
              pagination={{ pageSize: 20, showSizeChanger: false }}
              rowClassName={(c) => (c.overdue !== "0.00" ? "row-overdue" : "")}
              columns={[
                { title: "案号", dataIndex: "caseNumber", render: (v: string, c) => <Link to={`/cases/${c.caseId}`}>{v}</Link> },
                { title: "最早到账", dataIndex: "oldestReceivedOn" },
                { title: "在账款", align: "right", render: (_, c) => <Money value={c.held} /> },
                { title: "逾期", align: "right", render: (_, c) => <Money value={c.overdue} danger={c.overdue !== "0.00"} /> },
                { title: "其中超法定30日", align: "right", render: (_, c) => <Money value={c.overdueStatutory} danger={c.overdueStatutory !== "0.00"} /> },
              ]}
            />
          </Card>
        </>
      ) : null}
    </div>
  );
}
