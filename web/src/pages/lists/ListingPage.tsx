import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import App from "antd/es/app";
import Button from "antd/es/button";
import Card from "antd/es/card";
import DatePicker from "antd/es/date-picker";
import Descriptions from "antd/es/descriptions";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Popconfirm from "antd/es/popconfirm";
import Radio from "antd/es/radio";
import Select from "antd/es/select";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { hasRole, useMe } from "../../api/queries";
import { ActionModal } from "../../components/ActionModal";
import { Label, Loading, PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { DATE_FORMAT, daysUntil, todayDayjs, toDateString } from "../../lib/dates";
import { CHANNEL, LISTING_GROUND, LISTING_STATUS, OBJECTION_REASON, OBJECTION_STATUS, REMOVAL_GROUND } from "../../lib/labels";

const opts = <T extends string>(labels: Record<T, string>) => (Object.keys(labels) as T[]).map((k) => ({ value: k, label: labels[k] }));

export default function ListingPage() {
  const { id = "" } = useParams();
  const me = useMe().data;
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [modal, setModal] = useState<null | "publish" | "removal" | "objection" | "reject" | { withdraw: Schemas["Publication"] } | { decide: Schemas["Objection"] }>(null);
  const q = useQuery({ queryKey: ["listing", id], queryFn: async () => unwrap(await api.GET("/v1/listings/{id}", { params: { path: { id } } })) });
  const done = (text: string) => {
    message.success(text);
    qc.invalidateQueries({ queryKey: ["listing", id] });
    qc.invalidateQueries({ queryKey: ["listings"] });
  };
  const approve = useMutation({
    mutationFn: async () => unwrap(await api.POST("/v1/listings/{id}/removal/approve", { params: { path: { id } } })),
    onSuccess: () => done("已批准删除"),
  });
  if (q.isLoading) return <Loading />;
  const l = q.data;
  if (!l) return <ProblemAlert error={q.error} />;
  const officer = hasRole(me, "list_officer");
  const approver = hasRole(me, "approver");
  const close = () => setModal(null);

  return (
    <div>
      <PageHeader
        title={<span>{l.debtorName} <Label value={l.status} labels={LISTING_STATUS} color={l.status === "active" ? "red" : undefined} /></span>}
        sub={<Link to={`/cases/${l.caseId}`}>{l.caseNumber}</Link>}
        extra={
          <>
            {officer && l.status === "active" ? <Button onClick={() => setModal("publish")}>登记公布</Button> : null}
            {officer && l.status === "active" ? <Button type="primary" onClick={() => setModal("removal")}>删除失信信息</Button> : null}
            {officer ? <Button onClick={() => setModal("objection")}>登记异议</Button> : null}
            {approver && l.status === "removal_pending" ? (
              <>
                <Popconfirm title="批准删除？" okText="批准" cancelText="取消" onConfirm={() => approve.mutate()}>
                  <Button type="primary">批准删除</Button>
                </Popconfirm>
                <Button danger onClick={() => setModal("reject")}>不予删除</Button>
              </>
            ) : null}
          </>
        }
      />
      <ProblemAlert error={approve.error} />
      <Card>
        <Descriptions column={3} size="small">
          <Descriptions.Item label="证件号码">{l.idNumberMasked ?? "—"}</Descriptions.Item>
          <Descriptions.Item label="纳入情形">{LISTING_GROUND[l.ground]}</Descriptions.Item>
          <Descriptions.Item label="决定书">{l.decisionNumber}（{l.decidedOn}）</Descriptions.Item>
          <Descriptions.Item label="期限">{l.expiresOn ? `至 ${l.expiresOn}` : "无固定期限"}</Descriptions.Item>
          <Descriptions.Item label="履行完毕日">{l.fullyPerformedOn ?? "—"}</Descriptions.Item>
          <Descriptions.Item label="应删除日">
            {l.removalDueBy ? (
              <span style={{ color: l.removalOverdue ? "#cf1322" : undefined, fontWeight: 600 }} data-testid="removal-due">
                {l.removalDueBy}
                {l.removalOverdue ? `（已逾期 ${-daysUntil(l.removalDueBy)} 天）` : ""}
              </span>
            ) : (
              "—"
            )}
          </Descriptions.Item>
          <Descriptions.Item label="删除完成日">{l.removalCompletedOn ?? "—"}{l.removalOnTime === false ? <Tag color="red" style={{ marginLeft: 8 }}>超期</Tag> : null}</Descriptions.Item>
          <Descriptions.Item label="删除">{l.removal ? `${REMOVAL_GROUND[l.removal.ground]} · 申请 ${l.removal.requestedOn}${l.removal.removedOn ? ` · 删除 ${l.removal.removedOn}` : " · 待审批"}` : "—"}</Descriptions.Item>
          {!l.calendarKnown ? <Descriptions.Item label="提示"><Tag color="orange">期限所在年度无官方日历，按周一至周五计算</Tag></Descriptions.Item> : null}
        </Descriptions>
      </Card>

      <Card title="公布与撤回" style={{ marginTop: 16 }}>
        <Table<Schemas["Publication"]>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={l.publications}
          locale={{ emptyText: "尚未公布" }}
          rowClassName={(p) => (p.awaitingWithdrawal ? "row-overdue" : "")}
          columns={[
            { title: "渠道", dataIndex: "channel", render: (c: Schemas["PublicationChannel"]) => CHANNEL[c] },
            { title: "公布日", dataIndex: "publishedOn" },
            { title: "链接/期号", dataIndex: "reference", render: (v: string | null) => v ?? "—" },
            { title: "撤回日", dataIndex: "withdrawnOn", render: (v: string | null, p) => v ?? (p.awaitingWithdrawal ? <Tag color="red">待撤回</Tag> : "—") },
            { title: "", render: (_, p) => (officer && !p.withdrawnOn ? <Button size="small" onClick={() => setModal({ withdraw: p })}>登记撤回</Button> : null) },
          ]}
        />
      </Card>

      <Card title="异议" style={{ marginTop: 16 }}>
        <Table<Schemas["Objection"]>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={l.objections}
          locale={{ emptyText: "无异议" }}
          rowClassName={(o) => (o.reviewOverdue ? "row-overdue" : "")}
          columns={[
            { title: "收到日", dataIndex: "receivedOn" },
            { title: "理由", dataIndex: "reason", render: (r: Schemas["Objection"]["reason"]) => OBJECTION_REASON[r] },
            { title: "说明", dataIndex: "note", ellipsis: true },
            { title: "审查期限", dataIndex: "reviewDueBy", render: (v: string, o) => <span style={{ color: o.reviewOverdue ? "#cf1322" : undefined }}>{v}{o.reviewOverdue ? "（逾期）" : ""}</span> },
            { title: "结果", dataIndex: "status", render: (s: Schemas["Objection"]["status"]) => <Label value={s} labels={OBJECTION_STATUS} /> },
            { title: "纠正期限", dataIndex: "actionDueBy", render: (v: string | null) => v ?? "—" },
            { title: "", render: (_, o) => (approver && o.status === "pending" ? <Button size="small" onClick={() => setModal({ decide: o })}>审查</Button> : null) },
          ]}
        />
      </Card>

      <ActionModal<{ channel: Schemas["PublicationChannel"]; publishedOn: Dayjs; reference?: string; note?: string }>
        name="publish"
        open={modal === "publish"}
        onClose={close}
        title="登记公布"
        initialValues={{ channel: "court_website", publishedOn: todayDayjs() }}
        onSubmit={async (v) => {
          const body: Schemas["PublicationCreate"] = { channel: v.channel, publishedOn: toDateString(v.publishedOn) };
          if (v.note?.trim()) body.note = v.note.trim();
          if (v.reference?.trim()) body.reference = v.reference.trim();
          unwrap(await api.POST("/v1/listings/{id}/publications", { params: { path: { id } }, body }));
          done("已登记公布");
        }}
      >
        <Form.Item name="channel" label="渠道"><Select options={opts(CHANNEL)} autoFocus /></Form.Item>
        <Form.Item name="publishedOn" label="公布日" rules={[{ required: true }]}><DatePicker format={DATE_FORMAT} /></Form.Item>
        <Form.Item name="note" label="补录说明" extra="公布日在30日以前的须说明原因"><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        <Form.Item name="reference" label="链接或期号"><Input maxLength={500} /></Form.Item>
      </ActionModal>

      <ActionModal<{ ground: Schemas["RemovalGround"]; requestedOn: Dayjs; note?: string; applicantId?: string }>
        name="removal"
        open={modal === "removal"}
        onClose={close}
        title="删除失信信息"
        submitText="提交"
        initialValues={{ ground: "fully_performed", requestedOn: todayDayjs() }}
        onSubmit={async (v) => {
          // The real date of the request (补录): a date more than 30 days back needs a note.
          const body: Schemas["RemovalRequest"] = { ground: v.ground, requestedOn: toDateString(v.requestedOn) };
          if (v.note?.trim()) body.note = v.note.trim();
          if (v.ground === "applicant_request" && l.applicantId) body.applicantId = l.applicantId;
          const res = unwrap(await api.POST("/v1/listings/{id}/removal", { params: { path: { id } }, body }));
          done(res.status === "removed" ? "已删除，请在各公布渠道登记撤回" : "已提交，待审批人审批");
        }}
      >
        <Form.Item name="ground" label="删除事由"><Select options={opts(REMOVAL_GROUND)} autoFocus /></Form.Item>
        <Form.Item name="requestedOn" label="申请日（实际日期）" rules={[{ required: true }]}><DatePicker format={DATE_FORMAT} /></Form.Item>
        <Form.Item name="note" label="说明" extra="补录30日以前的事项须说明原因"><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
      </ActionModal>

      <ActionModal<{ receivedOn: Dayjs; reason: Schemas["ObjectionCreate"]["reason"]; note: string }>
        name="objection"
        open={modal === "objection"}
        onClose={close}
        title="登记书面异议（15 日内审查）"
        initialValues={{ receivedOn: todayDayjs(), reason: "should_not_be_listed" }}
        onSubmit={async (v) => {
          unwrap(await api.POST("/v1/listings/{id}/objections", { params: { path: { id } }, body: { receivedOn: toDateString(v.receivedOn), reason: v.reason, note: v.note.trim() } }));
          done("异议已登记");
        }}
      >
        <Form.Item name="receivedOn" label="收到日" rules={[{ required: true }]}><DatePicker format={DATE_FORMAT} /></Form.Item>
        <Form.Item name="reason" label="异议理由"><Select options={opts(OBJECTION_REASON)} /></Form.Item>
        <Form.Item name="note" label="内容摘要" rules={[{ required: true, whitespace: true, message: "请填写内容摘要" }]}><Input.TextArea rows={3} maxLength={2000} autoFocus /></Form.Item>
      </ActionModal>

      <ActionModal<{ reason: string }>
        name="reject-removal"
        open={modal === "reject"}
        onClose={close}
        danger
        title="不予删除"
        onSubmit={async (v) => {
          unwrap(await api.POST("/v1/listings/{id}/removal/reject", { params: { path: { id } }, body: { reason: v.reason.trim() } }));
          done("已驳回删除申请");
        }}
      >
        <Form.Item name="reason" label="理由" rules={[{ required: true, whitespace: true, message: "请填写理由" }]}><Input.TextArea rows={3} autoFocus maxLength={2000} /></Form.Item>
      </ActionModal>

      {modal && typeof modal === "object" && "withdraw" in modal ? (
        <ActionModal<{ withdrawnOn: Dayjs }>
          name="withdraw"
          open
          onClose={close}
          title={`登记撤回 · ${CHANNEL[modal.withdraw.channel]}`}
          initialValues={{ withdrawnOn: todayDayjs() }}
          onSubmit={async (v) => {
            unwrap(await api.POST("/v1/listings/{id}/publications/{publicationId}/withdraw", { params: { path: { id, publicationId: modal.withdraw.id } }, body: { withdrawnOn: toDateString(v.withdrawnOn) } }));
            done("已登记撤回");
          }}
        >
          <Form.Item name="withdrawnOn" label="撤回日" rules={[{ required: true }]}><DatePicker format={DATE_FORMAT} autoFocus /></Form.Item>
        </ActionModal>
      ) : null}

      {modal && typeof modal === "object" && "decide" in modal ? (
        <ActionModal<{ upheld: boolean; note: string }>
          name="decide"
          open
          onClose={close}
          title="异议审查"
          initialValues={{ upheld: false }}
          onSubmit={async (v) => {
            unwrap(await api.POST("/v1/objections/{id}/decide", { params: { path: { id: modal.decide.id } }, body: { upheld: v.upheld, note: v.note.trim() } }));
            done(v.upheld ? "异议成立，须在 3 个工作日内纠正" : "异议已驳回");
          }}
        >
          <Form.Item name="upheld" label="审查结果"><Radio.Group options={[{ value: true, label: "异议成立" }, { value: false, label: "驳回异议" }]} /></Form.Item>
          <Form.Item name="note" label="审查意见" rules={[{ required: true, whitespace: true, message: "请填写审查意见" }]}><Input.TextArea rows={3} autoFocus maxLength={2000} /></Form.Item>
        </ActionModal>
      ) : null}
    </div>
  );
}
