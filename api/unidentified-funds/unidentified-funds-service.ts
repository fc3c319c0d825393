import assert from "node:assert/strict";
import crypto from "node:crypto";
import { loadCase } from "../cases/cases-service";
import { maskAccountNumber } from "../cases/masking";
import { assertCourtAccess } from "../core/court-scope";
import { invalidState, notFound } from "../core/errors";
import { formatMoney, moneyFromDb } from "../core/money";
import type { ReadContext, WriteContext } from "../core/operation";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { lockBalances, postEntries, refreshPerformance } from "../ledger/postings";
import { moveReferenceToReceipt } from "../receipts/bank-references";
import { disburseByFor, insertReceiptRows } from "../receipts/receipts-service";
import { fundsStore, type FundRow, type NewFundRow } from "./unidentified-funds-store";
import type { FundListQuery } from "./unidentified-funds.schemas";

export function toFund(r: FundRow, today: string): Schemas["UnidentifiedFund"] {
  return {
    id: r.id,
    courtId: r.court_id,
    statementId: r.statement_id,
    amount: formatMoney(r.amount),
    receivedOn: r.received_on,
    claimBy: r.claim_by,
    overdue: r.status === "unclaimed" && today > r.claim_by,
    payerName: r.payer_name,
    payerAccountMasked: r.payer_account ? maskAccountNumber(r.payer_account) : null,
    payerBank: r.payer_bank,
    remark: r.remark,
    bankReference: r.bank_reference,
    reason: r.reason,
    status: r.status,
    claimedCaseId: r.claimed_case_id,
    claimedReceiptId: r.claimed_receipt_id,
    claimedBy: r.claimed_by,
    claimedAt: r.claimed_at ? r.claimed_at.toISOString() : null,
    claimNote: r.claim_note,
    returnReason: r.return_reason,
    createdAt: r.created_at.toISOString(),
  };
}

export async function listFunds(ctx: ReadContext, q: FundListQuery): Promise<Page<Schemas["UnidentifiedFund"]>> {
  assertCourtAccess(ctx.actor, q.courtId, "The court");
  const after = decodeCursor(q.cursor, ["date", "uuid"]);
  const rows = await fundsStore.list(ctx.db, {
    courtId: q.courtId,
    status: q.status,
    overdueOn: q.overdue === "true" ? ctx.today : undefined,
    notOverdueOn: q.overdue === "false" ? ctx.today : undefined,
    after,
    limit: q.limit,
  });
  return toPage(rows, q.limit, (r) => [r.received_on, r.id], (r) => toFund(r, ctx.today));
}

async function lockFund(ctx: WriteContext, id: string): Promise<FundRow> {
  const fund = await fundsStore.find(ctx.db, id, { lock: true });
  if (!fund) throw notFound("The unidentified fund");
  assertCourtAccess(ctx.actor, fund.court_id, "The unidentified fund");
  if (fund.status !== "unclaimed") throw invalidState(`The unidentified fund is already ${fund.status}`);
  return fund;
}

/**
 * A clerk claims unidentified money for a case of the same court: it becomes a receipt of the
 * case, received on the day the money arrived (so its 30-day clock started then), and moves in
 * the journal from `unidentified` to the case — the bank does not move. The fund row is locked
 * first, so of two claims at once one wins and the other finds it claimed.
 */
export async function claimFund(ctx: WriteContext, id: string, input: { caseId: string; note: string }): Promise<Schemas["UnidentifiedFund"]> {
  const tx = ctx.db;
  const fund = await lockFund(ctx, id);
  const c = await loadCase(tx, ctx.actor, input.caseId); // 404 for another court's case too
  if (c.court_id !== fund.court_id) throw notFound("The case");
  await lockBalances(tx, [c.id]);
  const current = await loadCase(tx, ctx.actor, c.id);
  if (current.status !== "open") throw invalidState("The case is closed: it cannot receive money");
  const amount = moneyFromDb(fund.amount);
  const [receipt] = await insertReceiptRows(tx, [
    {
      id: crypto.randomUUID(),
      court_id: fund.court_id,
      case_id: c.id,
      amount: fund.amount,
      received_on: fund.received_on,
      disburse_by: disburseByFor(fund.received_on),
      source: "other",
      payer_name: fund.payer_name,
      bank_reference: fund.bank_reference,
      handed_over_on: null,
      witness_ids: null,
      created_by: ctx.actor.id,
    },
  ]);
  await postEntries(tx, [
    { kind: "receipt", courtId: fund.court_id, caseId: c.id, amount, effectiveOn: fund.received_on, counterAccount: "unidentified", unidentifiedFundId: fund.id, receiptId: receipt.id, memo: input.note, createdBy: ctx.actor.id },
  ]);
  await refreshPerformance(tx, c.id);
  if (fund.bank_reference) await moveReferenceToReceipt(tx, fund.court_id, fund.id, receipt.id);
  const updated = await fundsStore.update(tx, fund.id, { status: "claimed", claimed_case_id: c.id, claimed_receipt_id: receipt.id, claimed_by: ctx.actor.id, claimed_at: new Date(), claim_note: input.note });
  assert.equal(updated.status, "claimed");
  ctx.audit.record(
    {
      action: "unidentified_fund.claimed",
      entityType: "unidentified_fund",
      entityId: fund.id,
      courtId: fund.court_id,
      data: { before: { status: "unclaimed" }, after: { status: "claimed", caseId: c.id, receiptId: receipt.id }, amount: formatMoney(amount), note: input.note, lateClaim: ctx.today > fund.claim_by },
    },
    {
      action: "receipt.recorded",
      entityType: "receipt",
      entityId: receipt.id,
      courtId: fund.court_id,
      data: { caseId: c.id, amount: formatMoney(amount), receivedOn: fund.received_on, source: "other", disburseBy: receipt.disburse_by, unidentifiedFundId: fund.id },
    },
  );
  return toFund(updated, ctx.today);
}

/** Finance decides to pay the money back to its payer: it leaves the claim queue and waits for its refund. */
export async function returnFund(ctx: WriteContext, id: string, reason: string): Promise<Schemas["UnidentifiedFund"]> {
  const fund = await lockFund(ctx, id);
  const updated = await fundsStore.update(ctx.db, fund.id, { status: "returning", return_reason: reason, returned_by: ctx.actor.id, returned_at: new Date() });
  ctx.audit.record({
    action: "unidentified_fund.return_decided",
    entityType: "unidentified_fund",
    entityId: fund.id,
    courtId: fund.court_id,
    data: { before: { status: "unclaimed" }, after: { status: "returning" }, amount: formatMoney(fund.amount), reason },
  });
  return toFund(updated, ctx.today);
}

export type NewFund = Omit<NewFundRow, "statement_id">;

/** Unidentified funds of a statement import (set-based); the import posts their journal entries. */
export async function createFunds(ctx: WriteContext, statementId: string, funds: NewFund[]): Promise<void> {
  await fundsStore.insertMany(ctx.db, funds.map((f) => ({ ...f, statement_id: statementId })));
  for (const f of funds) {
    ctx.audit.record({
      action: "unidentified_fund.recorded",
      entityType: "unidentified_fund",
      entityId: f.id,
      courtId: f.court_id,
      data: { statementId, amount: formatMoney(f.amount), receivedOn: f.received_on, claimBy: f.claim_by, reason: f.reason, ...(f.bank_reference ? { bankReference: f.bank_reference } : {}) },
    });
  }
}
