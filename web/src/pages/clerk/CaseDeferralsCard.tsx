import { useQuery, useQueryClient } from "@tanstack/react-query";
import App from "antd/es/app";
import Button from "antd/es/button";
import Card from "antd/es/card";
import DatePicker from "antd/es/date-picker";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ActionModal } from "../../components/ActionModal";
import { ProblemAlert } from "../../components/Problem";
import { toDateString } from "../../lib/dates";
import { DEFERRAL_REASON } from "../../lib/labels";

const STATUS: Record<Schemas["DeferralStatus"], { text: string; color: string }> = {
  pending: { text: "待审批", color: "processing" },
  approved: { text: "已批准", color: "success" },
  rejected: { text: "未批准", color: "default" },
  ended: { text: "事由已消除", color: "warning" },
};

/** A case's deferrals (GET /v1/deferrals?caseId); an approved one ends when its ground ceases (应在10日内发放). */
export function CaseDeferralsCard({ caseId, canEnd }: { caseId: string; canEnd: boolean }) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [ending, setEnding] = useState<Schemas["Deferral"] | null>(null);
  const q = useQuery({
    queryKey: ["deferrals", caseId],
    queryFn: async () => unwrap(await api.GET("/v1/deferrals", { params: { query: { caseId, limit: 100 } } })),
  });
  return (
    <Card title="延缓发放" style={{ marginTop: 16 }}>
      <ProblemAlert error={q.error} />
      <Table<Schemas["Deferral"]>
        rowKey="id"
        size="small"
        pagination={false}
        loading={q.isLoading}
        dataSource={q.data?.data ?? []}
        locale={{ emptyText: "无延缓发放记录" }}
        columns={[
          { title: "事由", dataIndex: "reason", render: (r: Schemas["Deferral"]["reason"]) => DEFERRAL_REASON[r] },
          { title: "状态", dataIndex: "status", render: (s: Schemas["DeferralStatus"]) => <Tag color={STATUS[s].color}>{STATUS[s].text}</Tag> },
          { title: "申请日", dataIndex: "requestedOn" },
          { title: "延缓至", dataIndex: "until" },
          { title: "消除日", dataIndex: "endedOn", render: (v: string | null) => v ?? "—" },
          { title: "应发放日", dataIndex: "payBy", render: (v: string | null) => (v ? <strong>{v}</strong> : "—") },
          { title: "驳回理由", dataIndex: "rejectReason", render: (v: string | null) => v ?? "—" },
          {
            title: "",
            render: (_, d) => (canEnd && d.status === "approved" ? <Button size="small" onClick={() => setEnding(d)}>事由消除</Button> : null),
          },
        ]}
      />
      {ending ? (
        <ActionModal<{ endedOn: Dayjs; reason: string }>
          name="end-deferral"
          open
          title="延缓发放事由消除"
          submitText="确定"
          onClose={() => setEnding(null)}
          onSubmit={async (v) => {
            const d = unwrap(await api.POST("/v1/deferrals/{id}/end", { params: { path: { id: ending.id } }, body: { endedOn: toDateString(v.endedOn), reason: v.reason.trim() } }));
            message.success(`已登记事由消除，案款应于 ${d.payBy} 前发放`);
            qc.invalidateQueries({ queryKey: ["deferrals"] });
            qc.invalidateQueries({ queryKey: ["case", caseId] });
          }}
        >
          <Form.Item name="endedOn" label="消除日期" rules={[{ required: true, message: "请选择日期" }]}>
            <DatePicker aria-label="消除日期" />
          </Form.Item>
          <Form.Item name="reason" label="说明" rules={[{ required: true, whitespace: true, message: "请填写说明" }]}>
            <Input.TextArea rows={2} maxLength={2000} aria-label="说明" />
          </Form.Item>
        </ActionModal>
      ) : null}
    </Card>
  );
}
