import Button from "antd/es/button";
import Card from "antd/es/card";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Select from "antd/es/select";
import Space from "antd/es/space";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import message from "antd/es/message";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { useMe } from "../../api/queries";
import { ActionModal } from "../../components/ActionModal";
import { CourtSelect } from "../../components/CourtSelect";
import { Money, PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { CursorPager, useCursorPages } from "../../lib/paging";
import { FUND_REASON, FUND_STATUS } from "./money-in-labels";

type Fund = Schemas["UnidentifiedFund"];
type Status = Schemas["UnidentifiedFundStatus"];

/** 不明款: money in the master account no case was found for; a clerk claims it, finance returns it. */
export default function UnidentifiedFundsPage() {
  const me = useMe().data;
  const roles = me?.roles ?? [];
  const qc = useQueryClient();
  const [courtId, setCourtId] = useState<string | undefined>();
  const [status, setStatus] = useState<Status | undefined>("unclaimed");
  const [claiming, setClaiming] = useState<Fund | null>(null);
  const [returning, setReturning] = useState<Fund | null>(null);
  const pages = useCursorPages<Fund>(["unidentified-funds", { courtId, status }], async (cursor, limit) =>
    courtId ? unwrap(await api.GET("/v1/unidentified-funds", { params: { query: { courtId, status, cursor, limit } } })) : { data: [], nextCursor: null },
  );
  const done = (text: string) => {
    message.success(text);
    setClaiming(null);
    setReturning(null);
    void qc.invalidateQueries({ queryKey: ["unidentified-funds"] });
  };
  return (
    <div>
      <PageHeader title="不明款认领" sub="Unidentified funds: claim within the court's working days, or return to the payer" />
      <Card>
        <Form layout="inline" className="filters">
          <Form.Item label="法院">
            <CourtSelect value={courtId} onChange={setCourtId} />
          </Form.Item>
          <Form.Item label="状态">
            <Select allowClear placeholder="全部" value={status} onChange={setStatus} style={{ width: 140 }} options={(Object.keys(FUND_STATUS) as Status[]).map((s) => ({ value: s, label: FUND_STATUS[s] }))} />
          </Form.Item>
        </Form>
        <ProblemAlert error={pages.query.error} />
        <Table<Fund>
          rowKey="id"
          size="middle"
          loading={pages.loading}
          pagination={false}
          dataSource={pages.rows}
          columns={[
            { title: "到账日", dataIndex: "receivedOn", width: 110 },
            { title: "金额", dataIndex: "amount", align: "right", render: (v: string) => <Money value={v} /> },
            { title: "付款人", dataIndex: "payerName" },
            { title: "付款账号", dataIndex: "payerAccountMasked" },
            { title: "附言", dataIndex: "remark", ellipsis: true },
            { title: "原因", dataIndex: "reason", render: (r: Fund["reason"]) => FUND_REASON[r] },
            { title: "认领期限", dataIndex: "claimBy", render: (d: string, f) => (f.overdue ? <Tag color="red">{d} 已超期</Tag> : d) },
            { title: "状态", dataIndex: "status", render: (s: Status) => FUND_STATUS[s] },
            {
              title: "操作",
              render: (_, f) =>
                f.status === "unclaimed" ? (
                  <Space>
                    {roles.includes("clerk") || roles.includes("finance") ? <Button size="small" type="primary" onClick={() => setClaiming(f)}>认领</Button> : null}
                    {roles.includes("finance") ? <Button size="small" danger onClick={() => setReturning(f)}>退回</Button> : null}
                  </Space>
                ) : null,
            },
          ]}
        />
        <CursorPager pages={pages as never} />
      </Card>
      {claiming ? <ClaimModal fund={claiming} onClose={() => setClaiming(null)} onDone={done} /> : null}
      {returning ? <ReturnModal fund={returning} onClose={() => setReturning(null)} onDone={done} /> : null}
    </div>
  );
}

function ClaimModal({ fund, onClose, onDone }: { fund: Fund; onClose: () => void; onDone: (m: string) => void }) {
  return (
    <ActionModal<{ caseNumber: string; note: string }>
      name="claim"
      open
      onClose={onClose}
      title={<span>认领 <Money value={fund.amount} /></span>}
      submitText="认领"
      onSubmit={async (v, keyFor) => {
        const found = unwrap(await api.GET("/v1/cases", { params: { query: { courtId: fund.courtId, caseNumber: v.caseNumber.trim() } } }));
        const target = found.data[0];
        if (!target) throw new Error(`未找到案号 ${v.caseNumber}`);
        const body = { caseId: target.id, note: v.note.trim() };
        unwrap(await api.POST("/v1/unidentified-funds/{id}/claim", { params: { path: { id: fund.id }, header: { "Idempotency-Key": keyFor(body) } }, body }));
        onDone(`已认领至 ${target.caseNumber}，到账日仍为 ${fund.receivedOn}`);
      }}
    >
      <Form.Item name="caseNumber" label="案号" rules={[{ required: true, whitespace: true, message: "请填写案号" }]}>
        <Input placeholder="(2024)湘1129执103号" />
      </Form.Item>
      <Form.Item name="note" label="认领依据" rules={[{ required: true, whitespace: true, message: "请填写认领依据" }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </ActionModal>
  );
}

function ReturnModal({ fund, onClose, onDone }: { fund: Fund; onClose: () => void; onDone: (m: string) => void }) {
  return (
    <ActionModal<{ reason: string }>
      name="return"
      open
      danger
      onClose={onClose}
      title={<span>退回付款人 <Money value={fund.amount} /></span>}
      submitText="退回"
      onSubmit={async (v, keyFor) => {
        const body = { reason: v.reason.trim() };
        unwrap(await api.POST("/v1/unidentified-funds/{id}/return", { params: { path: { id: fund.id }, header: { "Idempotency-Key": keyFor(body) } }, body }));
        onDone("已转为待退回");
      }}
    >
      <Form.Item name="reason" label="退回理由" rules={[{ required: true, whitespace: true, message: "请填写退回理由" }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </ActionModal>
  );
}
