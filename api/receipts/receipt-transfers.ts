import assert from "node:assert/strict";
import crypto from "node:crypto";
import type { Knex } from "knex";
import { loadCase } from "../cases/cases-service";
import { assertCourtAccess } from "../core/court-scope";
import { AppError, invalidState, notFound, validationFailed } from "../core/errors";
import { requireSecondPerson } from "../core/four-eyes";
import { formatMoney, moneyFromDb } from "../core/money";
import type { WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { lockBalances, postEntries, refreshPerformanceMany } from "../ledger/postings";
import { referenceKey } from "./bank-references";
import { insertReceiptRows, loadReceipt } from "./receipts-service";
import { receiptsStore } from "./receipts-store";

interface TransferRow {
  id: string;
  court_id: string;
  receipt_id: string;
  from_case_id: string;
  to_case_id: string;
  amount: string;
  reason: string;
  status: "pending" | "approved" | "rejected";
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  reject_reason: string | null;
  new_receipt_id: string | null;
}

function toTransfer(r: TransferRow): Schemas["ReceiptTransfer"] {
  return {
    id: r.id,
    courtId: r.court_id,
    receiptId: r.receipt_id,
    fromCaseId: r.from_case_id,
    toCaseId: r.to_case_id,
    amount: formatMoney(r.amount),
    reason: r.reason,
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    decidedBy: r.decided_by,
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    rejectReason: r.reject_reason,
    newReceiptId: r.new_receipt_id,
  };
}

/** Finance asks to move a receipt to the right case of the same court; an approver decides. */
export async function requestTransfer(ctx: WriteContext, receiptId: string, input: { toCaseId: string; reason: string }): Promise<Schemas["ReceiptTransfer"]> {
  const tx = ctx.db;
  const r = await loadReceipt(ctx, receiptId);
  const to = await loadCase(tx, ctx.actor, input.toCaseId);
  if (to.court_id !== r.court_id) throw notFound("The case"); // another court's case does not exist for this receipt
  if (to.id === r.case_id) throw validationFailed([{ path: "body.toCaseId", message: "is the receipt's own case" }], "The receipt is already in that case");
  if (to.status !== "open") throw invalidState("The case to move the money to is closed");
  if (await receiptsStore.reversalOf(tx, r.id)) throw invalidState("The receipt has been reversed: there is nothing to move");
  const [row] = await tx("receipt_transfers")
    .insert({ id: crypto.randomUUID(), court_id: r.court_id, receipt_id: r.id, from_case_id: r.case_id, to_case_id: to.id, amount: r.amount, reason: input.reason, requested_by: ctx.actor.id })
    .onConflict(tx.raw("(receipt_id) WHERE status IN ('pending','approved')"))
    .ignore()
    .returning<TransferRow[]>("*");
  if (!row) throw invalidState("The receipt already has a transfer pending or done");
  ctx.audit.record({ action: "receipt_transfer.requested", entityType: "receipt_transfer", entityId: row.id, courtId: r.court_id, data: { receiptId: r.id, fromCaseId: r.case_id, toCaseId: to.id, amount: formatMoney(r.amount), reason: input.reason } });
  return toTransfer(row);
}

async function lockPending(ctx: WriteContext, id: string): Promise<TransferRow> {
  const row = await ctx.db<TransferRow>("receipt_transfers").where({ id }).forUpdate().first();
  if (!row) throw notFound("The transfer");
  assertCourtAccess(ctx.actor, row.court_id, "The transfer");
  if (row.status !== "pending") throw invalidState(`The transfer has already been ${row.status}`);
  requireSecondPerson(ctx.actor, [row.requested_by], "You asked for this transfer: a second person must approve or reject it");
  return row;
}

/**
 * The pair of entries: the receipt is reversed in its case, and a receipt with the same arrival
 * day and deadline is made in the other. Both cases are locked in id order; only money still
 * available in the first case (not reserved for a batch, not paid out) can move.
 */
export async function approveTransfer(ctx: WriteContext, id: string): Promise<Schemas["ReceiptTransfer"]> {
  const tx = ctx.db;
  const t = await lockPending(ctx, id);
  const balances = await lockBalances(tx, [t.from_case_id, t.to_case_id]);
  const r = await receiptsStore.find(tx, t.receipt_id);
  assert.ok(r, "a transfer's receipt exists");
  if (await receiptsStore.reversalOf(tx, r.id)) throw invalidState("The receipt has been reversed since the transfer was asked for");
  if ((await tx("cases").where({ id: t.to_case_id }).first<{ status: string }>("status"))?.status !== "open") throw invalidState("The case to move the money to is closed");
  const from = balances.get(t.from_case_id);
  assert.ok(from, "every case has a balance row");
  const amount = moneyFromDb(t.amount);
  const available = moneyFromDb(from.held).minus(moneyFromDb(from.reserved));
  if (available.lt(amount)) {
    throw new AppError("insufficient_funds", `Only ${formatMoney(available)} of the case's money is available; ${formatMoney(amount)} cannot move while it is reserved or paid out`, {
      cases: [{ caseId: t.from_case_id, available: formatMoney(available), requested: formatMoney(amount) }],
    });
  }
  await receiptsStore.insertReversal(tx, { id: crypto.randomUUID(), court_id: t.court_id, case_id: t.from_case_id, receipt_id: r.id, reason: `调账 transfer ${t.id}: ${t.reason}`, reversed_on: ctx.today, created_by: ctx.actor.id });
  const { created_at: _createdAt, ...same } = r; // same amount, arrival day, deadline, source, payer and reference
  const [moved] = await insertReceiptRows(tx, [{ ...same, id: crypto.randomUUID(), case_id: t.to_case_id, created_by: ctx.actor.id }]);
  await postEntries(tx, [
    { kind: "receipt_reversal", courtId: t.court_id, caseId: t.from_case_id, amount, effectiveOn: ctx.today, receiptId: r.id, memo: `transfer ${t.id}`, createdBy: ctx.actor.id },
    { kind: "receipt", courtId: t.court_id, caseId: t.to_case_id, amount, effectiveOn: ctx.today, receiptId: moved.id, memo: `transfer ${t.id}`, createdBy: ctx.actor.id },
  ]);
  await refreshPerformanceMany(tx, [t.from_case_id, t.to_case_id], { removed: true });
  if (r.bank_reference) await moveReference(tx, t.court_id, r.bank_reference, r.id, moved.id);
  const [done] = await tx("receipt_transfers").where({ id }).update({ status: "approved", decided_by: ctx.actor.id, decided_at: tx.fn.now(), new_receipt_id: moved.id }).returning<TransferRow[]>("*");
  ctx.audit.record({
    action: "receipt_transfer.approved",
    entityType: "receipt_transfer",
    entityId: id,
    courtId: t.court_id,
    data: { before: { status: "pending" }, after: { status: "approved" }, receiptId: r.id, newReceiptId: moved.id, fromCaseId: t.from_case_id, toCaseId: t.to_case_id, amount: formatMoney(amount), receivedOn: r.received_on, disburseBy: r.disburse_by },
  });
  return toTransfer(done);
}

async function moveReference(tx: Knex.Transaction, courtId: string, reference: string, fromReceipt: string, toReceipt: string): Promise<void> {
  await tx("bank_references").where({ court_id: courtId, reference_key: referenceKey(reference), receipt_id: fromReceipt }).update({ receipt_id: toReceipt });
}

export async function rejectTransfer(ctx: WriteContext, id: string, reason: string): Promise<Schemas["ReceiptTransfer"]> {
  const t = await lockPending(ctx, id);
  const [done] = await ctx.db("receipt_transfers").where({ id }).update({ status: "rejected", decided_by: ctx.actor.id, decided_at: ctx.db.fn.now(), reject_reason: reason }).returning<TransferRow[]>("*");
  ctx.audit.record({ action: "receipt_transfer.rejected", entityType: "receipt_transfer", entityId: id, courtId: t.court_id, data: { before: { status: "pending" }, after: { status: "rejected" }, reason } });
  return toTransfer(done);
}
