import Button from "antd/es/button";
import Card from "antd/es/card";
import DatePicker from "antd/es/date-picker";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Radio from "antd/es/radio";
import Space from "antd/es/space";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import type { Dayjs } from "dayjs";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ActionModal } from "../../components/ActionModal";
import { ProblemAlert } from "../../components/Problem";
import { DATE_FORMAT, todayDayjs, toDateString } from "../../lib/dates";
import { FINDING_CATEGORY, FINDING_SEVERITY } from "../../lib/labels";

type Proposal = Schemas["FindingProposal"];

const PAGE_OF: Partial<Record<Schemas["FindingEntity"]["type"], { label: string; path: string }>> = {
  case: { label: "案件", path: "/cases" },
  batch: { label: "批次", path: "/batches" },
  listing: { label: "失信名单", path: "/listings" },
};

/** The proposal's cases, batches and listings open their pages; the rest are counted. */
function EntityLinks({ entities }: { entities: Proposal["entities"] }) {
  const linked = entities.filter((e) => PAGE_OF[e.type]);
  const others = entities.length - linked.length;
  return (
    <Space size={[4, 4]} wrap>
      {linked.map((e) => (
        <Link key={`${e.type}:${e.id}`} to={`${PAGE_OF[e.type]!.path}/${e.id}`}>
          {PAGE_OF[e.type]!.label} {e.id.slice(0, 8)}
        </Link>
      ))}
      {others > 0 ? <span>另 {others} 条记录</span> : null}
    </Space>
  );
}

/** Findings the data propose (系统提示的问题): the inspector accepts one (it becomes a finding) or discards it with a reason. */
export function ProposalsCard({ inspectionId }: { inspectionId: string }) {
  const qc = useQueryClient();
  const proposals = useQuery({
    queryKey: ["proposals", inspectionId],
    queryFn: async () => unwrap(await api.GET("/v1/inspections/{id}/proposals", { params: { path: { id: inspectionId } } })).data,
  });
  const [accepting, setAccepting] = useState<Proposal | null>(null);
  const [discarding, setDiscarding] = useState<Proposal | null>(null);
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ["proposals"] });
    await qc.invalidateQueries({ queryKey: ["findings"] });
    await qc.invalidateQueries({ queryKey: ["rectification-ledger"] });
  };
  return (
    <Card title="系统提示的问题 Proposed from the data" style={{ marginTop: 16 }} data-testid="proposals">
      <ProblemAlert error={proposals.error} />
      <Table<Proposal>
        rowKey="key"
        size="small"
        loading={proposals.isLoading}
        dataSource={proposals.data ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        locale={{ emptyText: "暂无系统提示的问题" }}
        columns={[
          { title: "问题类别", dataIndex: "category", render: (c: Schemas["FindingCategory"]) => <Tag color="orange">{FINDING_CATEGORY[c]}</Tag> },
          { title: "说明", dataIndex: "description" },
          { title: "日期", dataIndex: "on" },
          { title: "关联记录", render: (_, p) => <EntityLinks entities={p.entities} /> },
          {
            title: "操作",
            render: (_, p) => (
              <Space>
                <Button size="small" type="primary" onClick={() => setAccepting(p)}>
                  采纳
                </Button>
                <Button size="small" onClick={() => setDiscarding(p)}>
                  不采纳
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <ActionModal<{ severity: Schemas["FindingSeverity"]; rectifyBy: Dayjs; description: string }>
        name="accept-proposal"
        open={accepting !== null}
        title="采纳为问题 Accept as a finding"
        initialValues={{ severity: accepting?.severity, description: accepting?.description }}
        onClose={() => setAccepting(null)}
        onSubmit={async (v) => {
          const body: Schemas["FindingProposalAccept"] = { key: accepting!.key, rectifyBy: toDateString(v.rectifyBy), severity: v.severity, description: v.description.trim() };
          unwrap(await api.POST("/v1/inspections/{id}/proposals/accept", { params: { path: { id: inspectionId } }, body }));
          await refresh();
        }}
      >
        <Form.Item name="description" label="问题描述" rules={[{ required: true, whitespace: true, max: 4000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="severity" label="严重程度">
          <Radio.Group options={(Object.keys(FINDING_SEVERITY) as Schemas["FindingSeverity"][]).map((s) => ({ value: s, label: FINDING_SEVERITY[s] }))} />
        </Form.Item>
        <Form.Item name="rectifyBy" label="整改期限" rules={[{ required: true, message: "请选择整改期限" }]}>
          <DatePicker format={DATE_FORMAT} minDate={todayDayjs()} />
        </Form.Item>
      </ActionModal>
      <ActionModal<{ reason: string }>
        name="discard-proposal"
        open={discarding !== null}
        title="不予采纳 Discard"
        onClose={() => setDiscarding(null)}
        onSubmit={async (v) => {
          unwrap(await api.POST("/v1/inspections/{id}/proposals/discard", { params: { path: { id: inspectionId } }, body: { key: discarding!.key, reason: v.reason.trim() } }));
          await refresh();
        }}
      >
        <Form.Item name="reason" label="不采纳理由" rules={[{ required: true, whitespace: true, max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </ActionModal>
    </Card>
  );
}
