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
import { Loading, PageHeader, PrintButton } from "../../components/common";
import { PeriodFilter, usePeriod } from "../../components/PeriodFilter";
import { ProblemAlert } from "../../components/Problem";
import { DownloadButtons } from "../../components/ReportTools";
import { LISTING_GROUND, LISTING_STATUS } from "../../lib/labels";

export default function DebtorListPage() {
  const period = usePeriod();
  const query = { from: period.from, to: period.to, courtId: period.courtId };
  const q = useQuery({ queryKey: ["report", "debtor-list", query], queryFn: async () => jsonOf(unwrap(await api.GET("/v1/reports/debtor-list", { params: { query } }))) });
  const r = q.data;
  return (
    <div>
      <PageHeader
        title="失信名单报表"
        sub="Listings, publications, removals on time and late"
        extra={
          <>
            <DownloadButtons baseName={`debtor-list-${period.from}-${period.to}`} fetcher={(format) => api.GET("/v1/reports/debtor-list", { params: { query: { ...query, format } }, parseAs: "blob" })} />
            <PrintButton />
          </>
        }
      />
      <PeriodFilter period={period} />
      <ProblemAlert error={q.error} />
      {q.isLoading ? <Loading /> : null}
      {r ? (
        <>
          <Card>
            <Row gutter={16}>
              <Col span={4}><Statistic title="纳入" value={r.listed} /></Col>
              <Col span={4}><Statistic title="公布（次）" value={r.published} /></Col>
              <Col span={4}><Statistic title="删除" value={r.removed} /></Col>
              <Col span={4}><Statistic title="按时删除" value={r.removedOnTime} /></Col>
              <Col span={4}><Statistic title="超期删除" value={r.removedLate} valueStyle={{ color: r.removedLate ? "#cf1322" : undefined }} /></Col>
              <Col span={4}><Statistic title="当前逾期未删除" value={r.overdueNow} valueStyle={{ color: r.overdueNow ? "#cf1322" : undefined }} /></Col>
              <Col span={4}><Statistic title="到期未删除" value={r.dueNotRemoved} valueStyle={{ color: r.dueNotRemoved ? "#cf1322" : undefined }} /></Col>
              <Col span={4}><Statistic title="未撤回公布" value={r.publicationsNotWithdrawn} valueStyle={{ color: r.publicationsNotWithdrawn ? "#cf1322" : undefined }} /></Col>
            </Row>
            {!r.calendarKnown ? <Typography.Text type="warning">部分期限所在年度无官方日历，按周一至周五计算。</Typography.Text> : null}
          </Card>
          <Card title="按纳入情形" style={{ marginTop: 16 }}>
            <Table<Schemas["DebtorListReport"]["byGround"][number]>
              rowKey="ground"
              size="small"
              pagination={false}
              dataSource={r.byGround}
              columns={[
                { title: "情形", dataIndex: "ground", render: (g: Schemas["ListingGround"]) => LISTING_GROUND[g] },
                { title: "纳入", dataIndex: "listed" },
                { title: "公布", dataIndex: "published" },
                { title: "删除", dataIndex: "removed" },
                { title: "按时", dataIndex: "removedOnTime" },
                { title: "超期", dataIndex: "removedLate" },
                { title: "逾期未删", dataIndex: "overdueNow" },
              ]}
            />
          </Card>
          <Card title={`明细（${r.itemsTotal} 条${r.itemsTotal > r.items.length ? `，显示前 ${r.items.length} 条，完整明细请下载` : ""}）`} style={{ marginTop: 16 }}>
            <Table<Schemas["DebtorListItem"]>
              rowKey="listingId"
              size="small"
              dataSource={r.items}
              pagination={{ pageSize: 20, showSizeChanger: false }}
              rowClassName={(i) => (i.overdueNow ? "row-overdue" : "")}
              columns={[
                { title: "被执行人", dataIndex: "debtorName", render: (v: string, i) => <Link to={`/listings/${i.listingId}`}>{v}</Link> },
                { title: "案号", dataIndex: "caseNumber" },
                { title: "情形", dataIndex: "ground", render: (g: Schemas["ListingGround"]) => LISTING_GROUND[g] },
                { title: "状态", dataIndex: "status", render: (s: Schemas["ListingStatus"]) => LISTING_STATUS[s] },
                { title: "应删除日", dataIndex: "removalDueBy", render: (v: string | null) => v ?? "—" },
                { title: "删除完成", dataIndex: "removalCompletedOn", render: (v: string | null) => v ?? "—" },
                { title: "", render: (_, i) => (i.overdueNow ? <Tag color="red">逾期</Tag> : i.removalOnTime === false ? <Tag color="orange">超期</Tag> : i.removalOnTime ? <Tag color="green">按时</Tag> : null) },
              ]}
            />
          </Card>
        </>
      ) : null}
    </div>
  );
}
