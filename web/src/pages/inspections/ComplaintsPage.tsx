import Button from "antd/es/button";
import Card from "antd/es/card";
import DatePicker from "antd/es/date-picker";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Select from "antd/es/select";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import type { Dayjs } from "dayjs";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ActionModal } from "../../components/ActionModal";
import { CourtSelect } from "../../components/CourtSelect";
import { PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { DATE_FORMAT, todayDayjs, toDateString } from "../../lib/dates";
import { COMPLAINT_CHANNEL } from "../../lib/labels";
import { CursorPager, useCursorPages } from "../../lib/paging";

interface NewComplaint {
  courtId: string;
  receivedOn: Dayjs;
  channel: Schemas["ComplaintChannel"];
  complainantName: string;
  contact?: string;
  summary: string;
  replyBy: Dayjs;
}

/** Letters and visits (来信来访): record one, answer it before replyBy; overdue ones in red. Names are masked for everyone but inspectors. */
export default function ComplaintsPage() {
  const qc = useQueryClient();
  const complaints = useCursorPages<Schemas["Complaint"]>(["complaints"], async (cursor, limit) => unwrap(await api.GET("/v1/complaints", { params: { query: { cursor, limit } } })));
  const [adding, setAdding] = useState(false);
  const [replying, setReplying] = useState<Schemas["Complaint"] | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ["complaints"] });
  return (
    <div>
      <PageHeader title="来信来访" sub="Letters and visits from the public, and the answers" extra={<Button type="primary" onClick={() => setAdding(true)}>登记来信来访</Button>} />
      <Card>
        <ProblemAlert error={complaints.query.error} />
        <Table<Schemas["Complaint"]>
          rowKey="id"
          size="middle"
          loading={complaints.query.isLoading}
          pagination={false}
          dataSource={complaints.rows}
          rowClassName={(c) => (c.overdue ? "row-overdue" : "")}
          columns={[
            { title: "收到日期", dataIndex: "receivedOn" },
            { title: "方式", dataIndex: "channel", render: (c: Schemas["ComplaintChannel"]) => COMPLAINT_CHANNEL[c] },
            { title: "来信来访人", dataIndex: "complainantName" },
            { title: "联系方式", dataIndex: "contact", render: (v: string | null) => v ?? "—" },
            { title: "反映问题", dataIndex: "summary" },
            { title: "答复期限", dataIndex: "replyBy", render: (v: string, c) => (c.overdue ? <span style={{ color: "#cf1322", fontWeight: 600 }}>{v} <Tag color="red">超期未答复</Tag></span> : v) },
            { title: "答复", render: (_, c) => (c.status === "replied" ? <span data-status="replied">{c.repliedOn}：{c.outcome}</span> : <Tag>待答复</Tag>) },
            { title: "操作", render: (_, c) => (c.status === "received" ? <Button size="small" type="primary" onClick={() => setReplying(c)}>答复</Button> : null) },
          ]}
        />
        <CursorPager pages={complaints as never} />
      </Card>
      <ActionModal<NewComplaint>
        name="complaint"
        open={adding}
        title="登记来信来访"
        initialValues={{ channel: "visit", receivedOn: todayDayjs(), replyBy: todayDayjs().add(15, "day") }}
        onClose={() => setAdding(false)}
        onSubmit={async (v) => {
          const contact = v.contact?.trim();
          const body: Schemas["ComplaintCreate"] = {
            courtId: v.courtId,
            receivedOn: toDateString(v.receivedOn),
            channel: v.channel,
            complainantName: v.complainantName.trim(),
            ...(contact ? { contact } : {}),
            summary: v.summary.trim(),
            replyBy: toDateString(v.replyBy),
          };
          unwrap(await api.POST("/v1/complaints", { body }));
          await refresh();
        }}
      >
        <Form.Item name="courtId" label="法院" rules={[{ required: true }]}><CourtSelect /></Form.Item>
        <Form.Item name="channel" label="方式" rules={[{ required: true }]}>
          <Select options={Object.entries(COMPLAINT_CHANNEL).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="complainantName" label="来信来访人" rules={[{ required: true, whitespace: true, max: 200 }]}><Input /></Form.Item>
        <Form.Item name="contact" label="联系方式" rules={[{ max: 200 }]}><Input /></Form.Item>
        <Form.Item name="summary" label="反映问题" rules={[{ required: true, whitespace: true, max: 4000 }]}><Input.TextArea rows={3} /></Form.Item>
        <Form.Item name="receivedOn" label="收到日期" rules={[{ required: true }]}><DatePicker format={DATE_FORMAT} /></Form.Item>
        <Form.Item name="replyBy" label="答复期限" rules={[{ required: true }]}><DatePicker format={DATE_FORMAT} /></Form.Item>
      </ActionModal>
      <ActionModal<{ outcome: string; repliedOn: Dayjs }>
        name="complaint-reply"
        open={replying !== null}
        title="答复来信来访"
        initialValues={{ repliedOn: todayDayjs() }}
        onClose={() => setReplying(null)}
        onSubmit={async (v) => {
          unwrap(await api.POST("/v1/complaints/{id}/reply", { params: { path: { id: replying!.id } }, body: { repliedOn: toDateString(v.repliedOn), outcome: v.outcome.trim() } }));
          await refresh();
        }}
      >
        <Form.Item name="outcome" label="答复内容" rules={[{ required: true, whitespace: true, max: 4000 }]}><Input.TextArea rows={3} /></Form.Item>
        <Form.Item name="repliedOn" label="答复日期" rules={[{ required: true }]}><DatePicker format={DATE_FORMAT} /></Form.Item>
      </ActionModal>
    </div>
  );
}
