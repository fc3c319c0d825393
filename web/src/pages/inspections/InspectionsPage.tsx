import Button from "antd/es/button";
import Card from "antd/es/card";
import Col from "antd/es/col";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Radio from "antd/es/radio";
import Row from "antd/es/row";
import Select from "antd/es/select";
import Space from "antd/es/space";
import Statistic from "antd/es/statistic";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Schemas } from "../../api/client";
import { jsonOf, unwrap } from "../../api/errors";
import { ActionModal } from "../../components/ActionModal";
import { PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { DownloadButtons, PrintablePage } from "../../components/ReportTools";
import { CursorPager, useCursorPages } from "../../lib/paging";
import { FindingForm } from "./FindingForm";
import { FindingsTable } from "./FindingsTable";
import { ProposalsCard } from "./ProposalsCard";

/** The inspector's 巡察 page: an inspection, its ledger figures and its findings board; verify or reopen rectified findings. */
export default function InspectionsPage() {
  const qc = useQueryClient();
  const inspections = useQuery({ queryKey: ["inspections"], queryFn: async () => unwrap(await api.GET("/v1/inspections")).data });
  const [chosen, setChosen] = useState<string | undefined>();
  const inspectionId = chosen ?? inspections.data?.[0]?.id;
  const findings = useCursorPages<Schemas["Finding"]>(["findings", inspectionId], async (cursor, limit) =>
    inspectionId ? unwrap(await api.GET("/v1/findings", { params: { query: { inspectionId, cursor, limit } } })) : { data: [], nextCursor: null },
  );
  const ledger = useQuery({
    queryKey: ["rectification-ledger", inspectionId],
    enabled: !!inspectionId,
    queryFn: async () => jsonOf(unwrap(await api.GET("/v1/reports/rectification", { params: { query: { inspectionId: inspectionId! } } }))),
  });
  const [verifying, setVerifying] = useState<Schemas["Finding"] | null>(null);
  const [recording, setRecording] = useState(false);
  const inspection = inspections.data?.find((i) => i.id === inspectionId);
  const t = ledger.data?.totals;
  return (
    <div>
      <PageHeader
        title="巡察整改"
        sub="Inspection findings and the rectification ledger (问题清单和整改台账)"
        extra={
          inspectionId ? (
            <>
              <Button type="primary" onClick={() => setRecording(true)}>
                登记问题
              </Button>
              <DownloadButtons baseName="整改台账" fetcher={(format) => api.GET("/v1/reports/rectification", { params: { query: { inspectionId, format } }, parseAs: "blob" })} />
              <PrintablePage title="整改台账（打印版）" fetchHtml={() => api.GET("/v1/reports/rectification.html", { params: { query: { inspectionId } }, parseAs: "text" })} />
            </>
          ) : null
        }
      />
      <Card>
        <Form layout="inline" className="filters">
          <Form.Item label="巡察">
            <Select style={{ minWidth: 320 }} value={inspectionId} onChange={setChosen} options={(inspections.data ?? []).map((i) => ({ value: i.id, label: `${i.name}（${i.from} 至 ${i.to}）` }))} />
          </Form.Item>
        </Form>
        <ProblemAlert error={inspections.error ?? findings.query.error ?? ledger.error} />
        {t ? (
          <Row gutter={16} style={{ margin: "16px 0" }} data-testid="ledger-totals">
            <Col span={4}><Statistic title="问题总数" value={t.total} /></Col>
            <Col span={4}><Statistic title="已销号" value={t.verified} /></Col>
            <Col span={4}><Statistic title="已整改待核查" value={t.rectified} /></Col>
            <Col span={4}><Statistic title="整改中" value={t.rectifying + t.reopened} /></Col>
            <Col span={4}><Statistic title="超期" value={t.overdue} valueStyle={{ color: t.overdue > 0 ? "#cf1322" : undefined }} /></Col>
            <Col span={4}><Statistic title="来信来访（已答复/收到）" value={`${ledger.data!.complaints.replied}/${ledger.data!.complaints.received}`} /></Col>
          </Row>
        ) : null}
        <FindingsTable
          findings={findings.rows}
          loading={findings.query.isLoading}
          action={(f) =>
            f.status === "rectified" ? (
              <Button size="small" type="primary" onClick={() => setVerifying(f)}>
                核查
              </Button>
            ) : null
          }
        />
        <CursorPager pages={findings as never} />
      </Card>
      {inspectionId ? <ProposalsCard inspectionId={inspectionId} /> : null}
      {inspection ? (
        <FindingForm
          inspection={inspection}
          open={recording}
          onClose={() => setRecording(false)}
          onCreated={async () => {
            await qc.invalidateQueries({ queryKey: ["findings"] });
            await qc.invalidateQueries({ queryKey: ["rectification-ledger"] });
          }}
        />
      ) : null}
      <ActionModal<{ accepted: boolean; note: string }>
        name="verify"
        open={verifying !== null}
        title="核查整改情况"
        initialValues={{ accepted: true }}
        onClose={() => setVerifying(null)}
        onSubmit={async (v) => {
          unwrap(await api.POST("/v1/findings/{id}/verify", { params: { path: { id: verifying!.id } }, body: { accepted: v.accepted, note: v.note.trim() } }));
          await qc.invalidateQueries({ queryKey: ["findings"] });
          await qc.invalidateQueries({ queryKey: ["rectification-ledger"] });
        }}
      >
        <Form.Item name="accepted" label="核查结论">
          <Radio.Group>
            <Space direction="vertical">
              <Radio value={true}>整改到位，予以销号</Radio>
              <Radio value={false}>退回重新整改</Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="note" label="核查意见" rules={[{ required: true, whitespace: true, max: 4000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </ActionModal>
    </div>
  );
}
