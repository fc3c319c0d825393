import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import Alert from "antd/es/alert";
import App from "antd/es/app";
import Button from "antd/es/button";
import Card from "antd/es/card";
import Descriptions from "antd/es/descriptions";
import Popconfirm from "antd/es/popconfirm";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { courtName, hasRole, useCourts, useMe } from "../../api/queries";
import { Loading, Money, PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { formatTimestamp } from "../../lib/dates";
import { saveBlob, filenameFrom } from "../../lib/download";
import { BATCH_STATUS, BATCH_STATUS_COLOR, ITEM_STATUS } from "../../lib/labels";
import { ExecuteModal, RejectModal, ReturnModal } from "./batchModals";

type Item = Schemas["PayoutItem"];

export default function BatchPage() {
  const { id = "" } = useParams();
  const me = useMe().data;
  const courts = useCourts().data;
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [modal, setModal] = useState<null | "reject" | "execute" | { ret: Item }>(null);
  const batchQ = useQuery({ queryKey: ["batch", id], queryFn: async () => unwrap(await api.GET("/v1/payout-batches/{id}", { params: { path: { id } } })) });
  const caseIds = [...new Set((batchQ.data?.items ?? []).map((i) => i.caseId))].slice(0, 50);
  const cases = useQueries({ queries: caseIds.map((cid) => ({ queryKey: ["case", cid], queryFn: async () => unwrap(await api.GET("/v1/cases/{id}", { params: { path: { id: cid } } })), staleTime: 60_000 })) });
  const caseNumber = (cid: string) => cases.find((q) => q.data?.id === cid)?.data?.caseNumber ?? cid.slice(0, 8);

  const refresh = (text: string) => {
    message.success(text);
    qc.invalidateQueries({ queryKey: ["batch", id] });
    qc.invalidateQueries({ queryKey: ["batches"] });
    qc.invalidateQueries({ queryKey: ["case"] });
  };
  const action = useMutation({
    mutationFn: async (what: "submit" | "approve" | "cancel") => {
      if (what === "submit") return unwrap(await api.POST("/v1/payout-batches/{id}/submit", { params: { path: { id } }, body: {} }));
      if (what === "approve") return unwrap(await api.POST("/v1/payout-batches/{id}/approve", { params: { path: { id } }, body: {} }));
      return unwrap(await api.POST("/v1/payout-batches/{id}/cancel", { params: { path: { id } }, body: {} }));
    },
    onSuccess: (_b, what) => refresh({ submit: "已提交审批，款项已预留", approve: "已批准，转财务支付", cancel: "批次已撤销" }[what]),
  });
  const paymentFile = useMutation({
    mutationFn: async () => {
      const res = await api.GET("/v1/payout-batches/{id}/payment-file", { params: { path: { id } }, parseAs: "blob" });
      const blob = unwrap(res) as unknown as Blob;
      saveBlob(blob, filenameFrom(res.response, `payment-${id.slice(0, 8)}.csv`));
    },
    onSuccess: () => message.success("支付文件已下载（本次下载已记入审计日志）"),
  });
  // Issue 13: the bank's own batch-transfer layout (账号为文本, 含总笔数与总金额).
  const bankFile = useMutation({
    mutationFn: async (format: "xlsx" | "csv") => {
      const res = await api.GET("/v1/payout-batches/{id}/batch-transfer-file", { params: { path: { id }, query: { format } }, parseAs: "blob" });
      const blob = unwrap(res) as unknown as Blob;
      saveBlob(blob, filenameFrom(res.response, `batch-transfer-${id.slice(0, 8)}.${format}`));
    },
    onSuccess: () => message.success("银行批量转账文件已下载（本次下载已记入审计日志）"),
  });

  if (batchQ.isLoading) return <Loading />;
  const b = batchQ.data;
  if (!b) return <ProblemAlert error={batchQ.error} />;
  const mismatches = b.items.filter((i) => i.payee?.nameMismatch).length;
  const isCreator = me?.id === b.createdBy;

  return (
    <div>
      <PageHeader
        title={<span>发放批次 {b.id.slice(0, 8)} <Tag color={BATCH_STATUS_COLOR[b.status]} data-testid="batch-status">{BATCH_STATUS[b.status]}</Tag></span>}
        sub={`${courtName(courts, b.courtId)} · ${b.totals.items} 笔 · ${b.totals.cases} 件`}
        extra={
          <>
            {b.status === "draft" && hasRole(me, "clerk") ? <Button type="primary" loading={action.isPending} onClick={() => action.mutate("submit")}>提交审批</Button> : null}
            {b.status === "submitted" && hasRole(me, "approver") ? (
              <>
                <Popconfirm title="批准此发放批次？" okText="批准" cancelText="取消" onConfirm={() => action.mutate("approve")}>
                  <Button type="primary" loading={action.isPending}>批准</Button>
                </Popconfirm>
                <Button danger onClick={() => setModal("reject")}>退回</Button>
              </>
            ) : null}
            {(b.status === "draft" || b.status === "submitted") && isCreator ? (
              <Popconfirm title="撤销此批次？" okText="撤销" cancelText="取消" onConfirm={() => action.mutate("cancel")}>
                <Button>撤销</Button>
              </Popconfirm>
            ) : null}
            {b.status === "approved" && hasRole(me, "finance") ? (
              <>
                <Button loading={paymentFile.isPending} onClick={() => paymentFile.mutate()}>下载支付文件</Button>
                <Button loading={bankFile.isPending} onClick={() => bankFile.mutate("xlsx")}>银行批量转账文件（Excel）</Button>
                <Button loading={bankFile.isPending} onClick={() => bankFile.mutate("csv")}>（CSV）</Button>
                <Button type="primary" onClick={() => setModal("execute")}>登记支付结果</Button>
              </>
            ) : null}
          </>
        }
      />
      <ProblemAlert error={action.error ?? paymentFile.error} />
      {mismatches > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="name-mismatch-alert"
          title={`${mismatches} 笔收款账户户名与收款人姓名不一致，批准或支付前请核对（防范虚假收款人）`}
        />
      ) : null}
      <Card>
        <Descriptions column={3} size="small" style={{ marginBottom: 16 }}>
          <Descriptions.Item label="金额"><Money value={b.totals.amount} wan strong /></Descriptions.Item>
          <Descriptions.Item label="已支付"><Money value={b.totals.paid.amount} />（{b.totals.paid.items} 笔）</Descriptions.Item>
          <Descriptions.Item label="失败/退汇">{b.totals.failed.items} / {b.totals.returned.items} 笔</Descriptions.Item>
          <Descriptions.Item label="创建">{formatTimestamp(b.createdAt)}</Descriptions.Item>
          <Descriptions.Item label="提交">{formatTimestamp(b.submittedAt)}</Descriptions.Item>
          <Descriptions.Item label="批准">{formatTimestamp(b.approvedAt)}</Descriptions.Item>
          <Descriptions.Item label="支付日期">{b.paidOn ?? "—"}</Descriptions.Item>
          <Descriptions.Item label="备注">{b.note ?? "—"}</Descriptions.Item>
          {b.rejectReason ? <Descriptions.Item label="退回理由"><span data-testid="reject-reason">{b.rejectReason}</span></Descriptions.Item> : null}
          {b.cancelReason ? <Descriptions.Item label="撤销理由">{b.cancelReason}</Descriptions.Item> : null}
        </Descriptions>
        <Table<Item>
          rowKey="id"
          size="small"
          dataSource={b.items}
          pagination={b.items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
          columns={[
            { title: "#", dataIndex: "line", width: 50 },
            { title: "案号", dataIndex: "caseId", render: (cid: string) => <Link to={`/cases/${cid}`}>{caseNumber(cid)}</Link> },
            {
              title: "收款人",
              render: (_, i) =>
                i.payee ? (
                  <span>
                    {i.payee.name}
                    {i.agentId ? <Tag color="purple" style={{ marginLeft: 4 }}>代理人</Tag> : null} · {i.payee.bankName} {i.payee.accountName} {i.payee.accountNumberMasked}
                    {i.payee.nameMismatch ? <Tag color="red" style={{ marginLeft: 4 }} data-testid="name-mismatch">户名不符</Tag> : null}
                  </span>
                ) : (
                  "提交后确定"
                ),
            },
            { title: "金额", align: "right", render: (_, i) => <Money value={i.amount} /> },
            { title: "状态", dataIndex: "status", render: (s: Item["status"]) => <Tag color={s === "paid" ? "green" : s === "failed" || s === "returned" ? "red" : "default"}>{ITEM_STATUS[s]}</Tag> },
            { title: "银行流水/原因", render: (_, i) => i.failureReason ?? i.returnReason ?? i.bankReference ?? "" },
            { title: "", render: (_, i) => (b.status === "executed" && i.status === "paid" && hasRole(me, "finance") ? <Button size="small" onClick={() => setModal({ ret: i })}>登记退汇</Button> : null) },
          ]}
        />
      </Card>
      <RejectModal batch={b} open={modal === "reject"} onClose={() => setModal(null)} onDone={refresh} />
      {modal === "execute" ? <ExecuteModal batch={b} open onClose={() => setModal(null)} onDone={refresh} /> : null}
      {modal && typeof modal === "object" ? <ReturnModal key={modal.ret.id} batch={b} item={modal.ret} open onClose={() => setModal(null)} onDone={refresh} /> : null}
    </div>
  );
}
