import { useQuery } from "@tanstack/react-query";
import Alert from "antd/es/alert";
import Card from "antd/es/card";
import Col from "antd/es/col";
import Row from "antd/es/row";
import Space from "antd/es/space";
import Statistic from "antd/es/statistic";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import { Link } from "react-router";
import { api, type Schemas } from "../../api/client";
import { jsonOf, unwrap } from "../../api/errors";
import { Loading, Money, PageHeader } from "../../components/common";
import { PeriodFilter, usePeriod } from "../../components/PeriodFilter";
import { ProblemAlert } from "../../components/Problem";
import { DownloadButtons, PrintablePage } from "../../components/ReportTools";
import { RED_FLAG_KIND, RED_FLAG_RECORD } from "../../lib/labels";

type Flag = Schemas["RedFlag"];
type Kind = Flag["kind"];

/** A flag's records: cases and batches open their pages; the others are named by type and a short id. */
function Records({ records }: { records: Flag["records"] }) {
  return (
    <Space size={[4, 4]} wrap>
      {records.map((r, i) => {
        const label = `${RED_FLAG_RECORD[r.type]} ${r.id.slice(0, 8)}`;
        if (r.type === "case") return <Link key={i} to={`/cases/${r.id}`}>{label}</Link>;
        if (r.type === "batch") return <Link key={i} to={`/batches/${r.id}`}>{label}</Link>;
        return <Tag key={i} title={r.id}>{label}</Tag>;
      })}
    </Space>
  );
}

/** The inspector's red flags (风险提示): six kinds of pattern that call for a look, each linked to its records. */
export default function RedFlagsPage() {
  const period = usePeriod();
  const query = { from: period.from, to: period.to, courtId: period.courtId };
  const q = useQuery({ queryKey: ["report", "red-flags", query], queryFn: async () => jsonOf(unwrap(await api.GET("/v1/reports/red-flags", { params: { query } }))) });
  const r = q.data;
  const kinds = Object.keys(RED_FLAG_KIND) as Kind[];
  return (
    <div>
      <PageHeader
        title="风险提示"
        sub="Red flags: payouts, receipts and batches that call for a look"
        extra={
          <>
            <DownloadButtons baseName={`red-flags-${period.from}-${period.to}`} fetcher={(format) => api.GET("/v1/reports/red-flags", { params: { query: { ...query, format } }, parseAs: "blob" })} />
            <PrintablePage title="风险提示（打印版）" fetchHtml={() => api.GET("/v1/reports/red-flags.html", { params: { query: { from: query.from, to: query.to, ...(query.courtId ? { courtId: query.courtId } : {}) } }, parseAs: "text" })} />
          </>
        }
      />
      <PeriodFilter period={period} />
      <ProblemAlert error={q.error} />
      {q.isLoading ? <Loading /> : null}
      {r ? (
        <>
          <Card>
            <Row gutter={16} data-testid="red-flag-counts">
              {kinds.map((k) => (
                <Col span={4} key={k}>
                  <Statistic
                    title={RED_FLAG_KIND[k]}
                    value={r.counts[k]}
                    suffix={r.truncated[k] ? <span title={`只列出前${r.rules.limitPerKind}条，请缩短期间或减少法院 · only the first ${r.rules.limitPerKind} are listed`}>+</span> : undefined}
                    valueStyle={{ color: r.counts[k] > 0 ? "#cf1322" : undefined }}
                  />
                </Col>
              ))}
            </Row>
            <div style={{ marginTop: 8, color: "#888" }}>
              账户变更后{r.rules.accountChangeWindowDays}日内发放、提交后{r.rules.quickApprovalMinutes}分钟内批准即提示；超期在账款截至{r.rules.overdueAsOf}。
            </div>
            {kinds.some((k) => r.truncated[k]) ? (
              <Alert
                type="warning"
                showIcon
                style={{ marginTop: 8 }}
                data-testid="red-flags-truncated"
                message={`带“+”的类别超过${r.rules.limitPerKind}条，只列出前${r.rules.limitPerKind}条：请缩短期间或减少法院后再查。`}
              />
            ) : null}
          </Card>
          <Card title="提示明细" style={{ marginTop: 16 }}>
            <Table<Flag>
              rowKey={(f) => `${f.kind}:${f.records.map((x) => x.id).join(",")}`}
              size="small"
              dataSource={r.flags}
              pagination={{ pageSize: 50, showSizeChanger: false }}
              columns={[
                { title: "类型", dataIndex: "kind", render: (k: Kind) => <Tag color="red">{RED_FLAG_KIND[k]}</Tag> },
                { title: "日期", dataIndex: "on" },
                { title: "金额", align: "right", render: (_, f) => <Money value={f.amount} /> },
                {
                  title: "说明",
                  render: (_, f) => (
                    <div>
                      <div>{f.explanation.zh}</div>
                      <div style={{ color: "#888", fontSize: 12 }}>{f.explanation.en}</div>
                    </div>
                  ),
                },
                { title: "关联记录", render: (_, f) => <Records records={f.records} /> },
              ]}
            />
          </Card>
        </>
      ) : null}
    </div>
  );
}
