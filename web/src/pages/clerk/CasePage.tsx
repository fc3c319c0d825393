import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import Alert from "antd/es/alert";
import App from "antd/es/app";
import Button from "antd/es/button";
import Card from "antd/es/card";
import Col from "antd/es/col";
import Descriptions from "antd/es/descriptions";
import Row from "antd/es/row";
import Space from "antd/es/space";
import Statistic from "antd/es/statistic";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import Typography from "antd/es/typography";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { courtName, hasRole, useCourts, useMe } from "../../api/queries";
import { Label, Loading, Money, PageHeader, TrafficLight } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { PrintablePage } from "../../components/ReportTools";
import { TransferModal } from "../finance/TransfersPage";
import { deadlineLight, daysUntil, type Light } from "../../lib/dates";
import { ASSET_TYPE, CLOSURE_TYPE, FREEZE_STATUS, LEDGER_KIND, LISTING_GROUND, LISTING_STATUS } from "../../lib/labels";
import { compareMoney, isZero, sumMoney } from "../../lib/money";
import { CursorPager, useCursorPages } from "../../lib/paging";
import { AmountOwedCard } from "./AmountOwedCard";
import { CaseDeferralsCard } from "./CaseDeferralsCard";
import { BankChangeModal, DeferralModal, DraftPayoutModal, ListingModal, ReceiptModal, ReverseModal } from "./caseModals";
import { AgentsTable, CaseHistoryCard } from "./caseSections";
import { AddPartyModal, AgentModal, EditCaseModal, EditPartyModal } from "./partyModals";

type Entry = Schemas["LedgerEntry"];

/**
 * Which receipts of the page still hold money: held money is the newest receipts' (the oldest are
 * paid out first), so walk unreversed receipts from the newest back until they cover `held`.
 */
function stillHeld(entries: Entry[], receipts: Map<string, Schemas["Receipt"]>, held: string): Set<string> {
  const out = new Set<string>();
  let covered = "0.00";
  const rs = entries.filter((e) => e.kind === "receipt" && e.receiptId && !receipts.get(e.receiptId)?.reversal).reverse();
  for (const e of rs) {
    if (compareMoney(covered, held) >= 0) break;
    out.add(e.receiptId!);
    covered = sumMoney([covered, e.amount]);
  }
  return out;
}

export default function CasePage() {
  const { id = "" } = useParams();
  const me = useMe().data;
  const courts = useCourts().data;
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [modal, setModal] = useState<
    | null
    | "receipt"
    | "deferral"
    | "payout"
    | "listing"
    | "editCase"
    | "addParty"
    | { bank: Schemas["Party"] }
    | { reverse: Entry }
    | { transfer: Entry }
    | { party: Schemas["Party"] }
    | { agent: Schemas["Party"] }
  >(null);

  const caseQ = useQuery({ queryKey: ["case", id], queryFn: async () => unwrap(await api.GET("/v1/cases/{id}", { params: { path: { id } } })) });
  const ledger = useCursorPages<Entry>(["ledger", id], async (cursor, limit) => unwrap(await api.GET("/v1/cases/{id}/ledger", { params: { path: { id }, query: { cursor, limit } } })), 50);
  const receiptIds = ledger.rows.filter((e) => e.receiptId && e.kind === "receipt").map((e) => e.receiptId!);
  const receiptQs = useQueries({
    queries: receiptIds.map((rid) => ({ queryKey: ["receipt", rid], queryFn: async () => unwrap(await api.GET("/v1/receipts/{id}", { params: { path: { id: rid } } })), staleTime: 60_000 })),
  });
  const receipts = new Map(receiptQs.flatMap((q) => (q.data ? [[q.data.id, q.data] as const] : [])));
  const listings = useQuery({ queryKey: ["listings", { caseId: id }], queryFn: async () => unwrap(await api.GET("/v1/listings", { params: { query: { caseId: id, limit: 50 } } })) });
  const agents = useQuery({ queryKey: ["agents", { caseId: id }], queryFn: async () => unwrap(await api.GET("/v1/agents", { params: { query: { caseId: id, limit: 100 } } })) });
  // Issue 14: where the court charges the execution fee, the payout form offers 执行费 up to the unpaid fee.
  const courtId = caseQ.data?.courtId ?? "";
  const courtQ = useQuery({ queryKey: ["court", courtId], enabled: courtId !== "", queryFn: async () => unwrap(await api.GET("/v1/courts/{id}", { params: { path: { id: courtId } } })) });
  const owedQ = useQuery({
    queryKey: ["amount-owed", id],
    queryFn: async (): Promise<Schemas["AmountOwed"]> => unwrap(await api.GET("/v1/cases/{id}/amount-owed", { params: { path: { id }, query: {} } })),
  });
  const feeSettings = courtQ.data?.settings;
  const fee = feeSettings?.chargeExecutionFee && feeSettings.feeAccount && owedQ.data ? { account: feeSettings.feeAccount, unpaid: owedQ.data.executionFeeUnpaid } : undefined;
  const freezes = useQuery({ queryKey: ["freezes", { caseId: id }], queryFn: async () => unwrap(await api.GET("/v1/freezes", { params: { query: { caseId: id, limit: 50 } } })) });

  const done = (text: string) => {
    message.success(text);
    qc.invalidateQueries({ queryKey: ["case", id] });
    qc.invalidateQueries({ queryKey: ["ledger", id] });
    qc.invalidateQueries({ queryKey: ["receipt"] });
    qc.invalidateQueries({ queryKey: ["listings"] });
    qc.invalidateQueries({ queryKey: ["agents"] });
    qc.invalidateQueries({ queryKey: ["case-history", id] });
  };

  if (caseQ.isLoading) return <Loading />;
  if (!caseQ.data) return <ProblemAlert error={caseQ.error} />;
  const c = caseQ.data;
  const held = stillHeld(ledger.rows, receipts, c.balances.held);
  const heldDeadlines = [...held].map((rid) => receipts.get(rid)?.disburseBy).filter((d): d is string => !!d);
  const caseLight: Light = !isZero(c.overdueAmount) ? "red" : heldDeadlines.some((d) => deadlineLight(d) === "amber") ? "amber" : "green";
  const nearest = heldDeadlines.sort()[0];
  const clerk = hasRole(me, "clerk") && c.status === "open";

  return (
    <div>
      <PageHeader
        title={c.caseNumber}
        sub={`${c.cause} · ${courtName(courts, c.courtId)} · 立案 ${c.filedOn}`}
        extra={
          <>
            {hasRole(me, "clerk", "finance") && c.status === "open" ? <Button type="primary" onClick={() => setModal("receipt")}>登记到账</Button> : null}
            {clerk ? <Button disabled={isZero(c.balances.available)} onClick={() => setModal("payout")}>拟制发放批次</Button> : null}
            {clerk ? <Button onClick={() => setModal("deferral")}>申请延缓发放</Button> : null}
            {hasRole(me, "list_officer") ? <Button onClick={() => setModal("listing")}>纳入失信名单</Button> : null}
            {hasRole(me, "clerk") ? <Button onClick={() => setModal("editCase")}>更正案件信息</Button> : null}
          </>
        }
      />
      <Row gutter={16}>
        <Col span={16}>
          <Card title="案款" extra={<Space><span>发放期限</span><TrafficLight light={caseLight} text={caseLight === "red" ? "已逾期" : caseLight === "amber" ? `${nearest} 到期（5日内）` : nearest ? `最近期限 ${nearest}` : "正常"} /></Space>}>
            <Row gutter={[16, 16]}>
              <Col span={8}><Statistic title="执行标的" value={c.adjudicatedAmount} formatter={() => <Money value={c.adjudicatedAmount} />} /></Col>
              <Col span={8}><Statistic title="已到账" value={c.balances.received} formatter={() => <Money value={c.balances.received} />} /></Col>
              <Col span={8}><Statistic title="已发放" value={c.balances.disbursed} formatter={() => <Money value={c.balances.disbursed} />} /></Col>
              <Col span={8}><Statistic title="在账款" value={c.balances.held} formatter={() => <span data-testid="held"><Money value={c.balances.held} strong /></span>} /></Col>
              <Col span={8}><Statistic title="已预留" value={c.balances.reserved} formatter={() => <Money value={c.balances.reserved} />} /></Col>
              <Col span={8}><Statistic title="可发放" value={c.balances.available} formatter={() => <span data-testid="available"><Money value={c.balances.available} strong /></span>} /></Col>
              <Col span={8}><Statistic title="未执行到位" value={c.balances.outstanding} formatter={() => <Money value={c.balances.outstanding} />} /></Col>
              <Col span={8}><Statistic title="逾期未发放" value={c.overdueAmount} formatter={() => <Money value={c.overdueAmount} danger={!isZero(c.overdueAmount)} strong />} /></Col>
              <Col span={8}><Statistic title="履行完毕日" value={c.fullyPerformedOn ?? "—"} /></Col>
            </Row>
          </Card>
        </Col>
        <Col span={8}>
          <Card title="案件">
            <Descriptions column={1} size="small">
              <Descriptions.Item label="状态">{c.status === "open" ? <Tag color="processing">在办</Tag> : <Tag>已结 · {c.closureType ? CLOSURE_TYPE[c.closureType] : ""} {c.closedOn}</Tag>}</Descriptions.Item>
              <Descriptions.Item label="法院">{courtName(courts, c.courtId)}</Descriptions.Item>
              <Descriptions.Item label="立案日期">{c.filedOn}</Descriptions.Item>
              <Descriptions.Item label="履行期限">{c.performBy ?? "—"}</Descriptions.Item>
              {/* 一案一账号 (issue 13): the case's virtual account and its printable payment notice */}
              <Descriptions.Item label="虚拟账号">
                {c.virtualAccountNumber ? (
                  <Space>
                    <Typography.Text copyable data-testid="virtual-account">{c.virtualAccountNumber}</Typography.Text>
                    <PrintablePage title="交款通知书" fetchHtml={() => api.GET("/v1/cases/{id}/payment-notice", { params: { path: { id: c.id } }, parseAs: "text" })} />
                  </Space>
                ) : (
                  "法院尚未设置专户"
                )}
              </Descriptions.Item>
            </Descriptions>
            <Alert type="info" style={{ marginTop: 8 }} title="延缓发放申请提交后由审批人审批；审批结果与事由消除见下方“延缓发放”。" />
          </Card>
        </Col>
      </Row>

      {/* Issue 14: what the debtor owes, and the case's deferrals. */}
      <AmountOwedCard caseId={c.id} canRecord={hasRole(me, "clerk", "list_officer")} />
      <CaseDeferralsCard caseId={c.id} canEnd={hasRole(me, "clerk", "approver")} />

      <Card title="当事人" style={{ marginTop: 16 }} extra={clerk ? <Button size="small" onClick={() => setModal("addParty")}>追加当事人</Button> : null}>
        <Table<Schemas["Party"]>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={c.parties}
          columns={[
            { title: "身份", dataIndex: "role", render: (r: string) => (r === "applicant" ? <Tag color="blue">申请执行人</Tag> : <Tag color="orange">被执行人</Tag>) },
            { title: "姓名/名称", dataIndex: "name" },
            { title: "类型", dataIndex: "kind", render: (k: string) => (k === "person" ? "自然人" : "单位") },
            { title: "证件号码", dataIndex: "idNumberMasked", render: (v: string | null) => v ?? "—" },
            { title: "收款账户", render: (_, p) => (p.bankAccount ? `${p.bankAccount.bankName} · ${p.bankAccount.accountName} · ${p.bankAccount.accountNumberMasked}` : "—") },
            {
              title: "",
              render: (_, p) => (
                <Space size={4}>
                  {hasRole(me, "clerk") ? <Button size="small" onClick={() => setModal({ party: p })}>更正</Button> : null}
                  {clerk && p.role === "applicant" ? <Button size="small" onClick={() => setModal({ bank: p })}>申请变更账户</Button> : null}
                  {clerk && p.role === "applicant" ? <Button size="small" onClick={() => setModal({ agent: p })}>登记代理人</Button> : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Card title="代理人" style={{ marginTop: 16 }}>
        <ProblemAlert error={agents.error} />
        <AgentsTable rows={agents.data?.data ?? []} parties={c.parties} loading={agents.isLoading} canDecide={hasRole(me, "approver")} onDone={done} />
      </Card>

      <Card title="到账与台账" style={{ marginTop: 16 }}>
        <ProblemAlert error={ledger.query.error} />
        <Table<Entry>
          rowKey="id"
          size="small"
          loading={ledger.loading}
          pagination={false}
          dataSource={ledger.rows}
          columns={[
            { title: "序号", dataIndex: "seq", width: 70 },
            { title: "日期", dataIndex: "effectiveOn", width: 110 },
            { title: "类型", dataIndex: "kind", render: (k: Entry["kind"]) => <Tag color={k === "receipt" ? "green" : k === "payout" ? "blue" : "orange"}>{LEDGER_KIND[k]}</Tag> },
            { title: "金额", align: "right", render: (_, e) => <span>{e.direction === "in" ? "+" : "−"}<Money value={e.amount} /></span> },
            { title: "余额", align: "right", render: (_, e) => <Money value={e.balanceAfter} /> },
            {
              title: "应发放期限",
              render: (_, e) => {
                if (e.kind !== "receipt" || !e.receiptId) return null;
                const r = receipts.get(e.receiptId);
                if (!r) return "…";
                if (r.reversal) return <Tag>已冲销</Tag>;
                if (!held.has(r.id)) return <span>{r.disburseBy} <Typography.Text type="secondary">已发放</Typography.Text></span>;
                const d = daysUntil(r.disburseBy);
                return <TrafficLight light={deadlineLight(r.disburseBy)} text={`${r.disburseBy}（${d < 0 ? `逾期 ${-d} 天` : `剩 ${d} 天`}）`} />;
              },
            },
            { title: "摘要", dataIndex: "memo", ellipsis: true, render: (m: string | null) => m ?? "" },
            {
              title: "",
              render: (_, e) =>
                hasRole(me, "finance") && e.kind === "receipt" && e.receiptId && receipts.get(e.receiptId) && !receipts.get(e.receiptId)?.reversal ? (
                  <Space>
                    <Button size="small" danger onClick={() => setModal({ reverse: e })}>冲销</Button>
                    <Button size="small" onClick={() => setModal({ transfer: e })}>调账</Button>
                  </Space>
                ) : null,
            },
          ]}
        />
        <CursorPager pages={ledger as never} />
      </Card>

      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col span={12}>
          <Card title="失信名单">
            <ProblemAlert error={listings.error} />
            <Table<Schemas["Listing"]>
              rowKey="id"
              size="small"
              pagination={false}
              loading={listings.isLoading}
              dataSource={listings.data?.data ?? []}
              columns={[
                { title: "被执行人", dataIndex: "debtorName", render: (v: string, l) => <Link to={`/listings/${l.id}`}>{v}</Link> },
                { title: "情形", dataIndex: "ground", render: (g: Schemas["ListingGround"]) => LISTING_GROUND[g] },
                { title: "状态", dataIndex: "status", render: (s: Schemas["ListingStatus"]) => <Label value={s} labels={LISTING_STATUS} /> },
                { title: "应删除日", render: (_, l) => (l.removalDueBy ? <span style={{ color: l.removalOverdue ? "#cf1322" : undefined }}>{l.removalDueBy}{l.removalOverdue ? "（逾期）" : ""}</span> : "—") },
              ]}
            />
          </Card>
        </Col>
        <Col span={12}>
          <Card title="财产冻结">
            <ProblemAlert error={freezes.error} />
            <Table<Schemas["Freeze"]>
              rowKey="id"
              size="small"
              pagination={false}
              loading={freezes.isLoading}
              dataSource={freezes.data?.data ?? []}
              columns={[
                { title: "财产", render: (_, f) => `${ASSET_TYPE[f.assetType]} · ${f.description}` },
                { title: "被执行人", dataIndex: "partyName" },
                { title: "到期日", render: (_, f) => <span style={{ color: f.daysUntilExpiry !== null && f.daysUntilExpiry <= 30 ? "#cf1322" : undefined }}>{f.expiresOn}</span> },
                { title: "状态", dataIndex: "status", render: (s: Schemas["FreezeStatus"]) => <Label value={s} labels={FREEZE_STATUS} /> },
              ]}
            />
          </Card>
        </Col>
      </Row>

      {hasRole(me, "clerk", "finance", "approver", "inspector") ? <CaseHistoryCard caseId={c.id} /> : null}

      <EditCaseModal key={`edit-${c.caseNumber}-${c.adjudicatedAmount}-${c.filedOn}-${c.performBy}`} c={c} open={modal === "editCase"} onClose={() => setModal(null)} onDone={done} />
      <AddPartyModal c={c} open={modal === "addParty"} onClose={() => setModal(null)} onDone={done} />
      {modal && typeof modal === "object" && "party" in modal ? <EditPartyModal key={modal.party.id} party={modal.party} open onClose={() => setModal(null)} onDone={done} /> : null}
      {modal && typeof modal === "object" && "agent" in modal ? <AgentModal key={modal.agent.id} party={modal.agent} open onClose={() => setModal(null)} onDone={done} /> : null}
      <ReceiptModal c={c} open={modal === "receipt"} onClose={() => setModal(null)} onDone={done} />
      <DeferralModal c={c} open={modal === "deferral"} onClose={() => setModal(null)} onDone={done} />
      <DraftPayoutModal c={c} agents={agents.data?.data} fee={fee} open={modal === "payout"} onClose={() => setModal(null)} onDone={done} />
      <ListingModal c={c} open={modal === "listing"} onClose={() => setModal(null)} onDone={done} />
      {modal && typeof modal === "object" && "bank" in modal ? <BankChangeModal key={modal.bank.id} party={modal.bank} open onClose={() => setModal(null)} onDone={done} /> : null}
      {modal && typeof modal === "object" && "transfer" in modal ? (
        <TransferModal key={modal.transfer.id} receiptId={modal.transfer.receiptId!} amount={modal.transfer.amount} courtId={c.courtId} onClose={() => setModal(null)} onDone={done} />
      ) : null}
      {modal && typeof modal === "object" && "reverse" in modal ? (
        <ReverseModal key={modal.reverse.id} receiptId={modal.reverse.receiptId!} amount={modal.reverse.amount} open onClose={() => setModal(null)} onDone={done} />
      ) : null}
    </div>
  );
}
