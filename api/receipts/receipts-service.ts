import assert from "node:assert/strict";
import crypto from "node:crypto";
import { loadCase } from "../cases/cases-service";
import { assertCourtAccess } from "../core/court-scope";
import { AppError, invalidState, notFound, validationFailed } from "../core/errors";
import type { ReadContext, ServiceContext, WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { lockBalances, postEntries, refreshPerformance } from "../ledger/postings";
import { formatMoney, moneyFromDb, moneyToDb } from "../core/money";
import type { ReceiptCreateInput } from "./receipts.schemas";
import { receiptsStore, type ReceiptRow, type ReversalRow } from "./receipts-store";
import { disbursementDeadline } from "./disbursement-deadline";

export { DISBURSE_WITHIN_DAYS } from "./disbursement-deadline";

export function toReceipt(r: ReceiptRow, reversal: ReversalRow | undefined): Schemas["Receipt"] {
  return {
    id: r.id,
    caseId: r.case_id,
    courtId: r.court_id,
    amount: formatMoney(r.amount),
    receivedOn: r.received_on,
    disburseBy: r.disburse_by,
    // Receipts made before issue 14 kept only the statutory deadline, in disburse_by.
    statutoryDisburseBy: r.statutory_disburse_by ?? r.disburse_by,
    localDisburseBy: r.local_disburse_by ?? null,
    source: r.source,
    payerName: r.payer_name,
    bankReference: r.bank_reference,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    reversal: reversal
      ? { id: reversal.id, reason: reversal.reason, reversedOn: reversal.reversed_on, createdAt: reversal.created_at.toISOString(), createdBy: reversal.created_by }
      : null,
  };
}

export async function recordReceipt(ctx: WriteContext, caseId: string, input: ReceiptCreateInput): Promise<Schemas["Receipt"]> {
  const tx = ctx.db;
  const c = await loadCase(tx, ctx.actor, caseId);
  const balances = await lockBalances(tx, [caseId]);
  assert.ok(balances.has(caseId), "every case has a balance row");
  // Re-read the status under the lock: a concurrent close must not let money into a closed case.
  const current = await loadCase(tx, ctx.actor, caseId);
  if (current.status !== "open") throw invalidState("The case is closed: it cannot receive money");
  if (input.receivedOn > ctx.today) {
    throw validationFailed([{ path: "body.receivedOn", message: "must not be in the future" }], "receivedOn is in the future");
  }
  if (input.receivedOn < c.filed_on) {
    throw validationFailed([{ path: "body.receivedOn", message: `must not be before the filing date ${c.filed_on}` }], "receivedOn is before the case was filed");
  }
  const deadline = await disbursementDeadline(tx, { courtId: c.court_id, receivedOn: input.receivedOn, amount: input.amount });
  const receipt = await receiptsStore.insert(tx, {
    id: crypto.randomUUID(),
    court_id: c.court_id,
    case_id: caseId,
    amount: moneyToDb(input.amount),
    received_on: input.receivedOn,
    disburse_by: deadline.disburseBy,
    statutory_disburse_by: deadline.statutory,
    local_disburse_by: deadline.local,
    source: input.source,
    payer_name: input.payerName ?? null,
    bank_reference: input.bankReference ?? null,
    created_by: ctx.actor.id,
  });
  await postEntries(tx, [
    { kind: "receipt", courtId: c.court_id, caseId, amount: input.amount, effectiveOn: input.receivedOn, receiptId: receipt.id, createdBy: ctx.actor.id },
  ]);
  await refreshPerformance(tx, caseId);
  ctx.audit.record({
    action: "receipt.recorded",
    entityType: "receipt",
    entityId: receipt.id,
    courtId: c.court_id,
    data: { caseId, amount: formatMoney(input.amount), receivedOn: input.receivedOn, source: input.source, disburseBy: receipt.disburse_by, statutoryDisburseBy: deadline.statutory, localDisburseBy: deadline.local },
  });
  return toReceipt(receipt, undefined);
}

export async function loadReceipt(ctx: ServiceContext, id: string): Promise<ReceiptRow> {
  const r = await receiptsStore.find(ctx.db, id);
  if (!r) throw notFound("The receipt");
  assertCourtAccess(ctx.actor, r.court_id, "The receipt");
  return r;
}

export async function getReceipt(ctx: ReadContext, id: string): Promise<Schemas["Receipt"]> {
  const r = await loadReceipt(ctx, id);
  return toReceipt(r, await receiptsStore.reversalOf(ctx.db, id));
}

/**
 * A mistaken receipt is never edited: a reversing entry takes its money back out of the case.
 * Only money that is still available (not reserved for a batch, not paid out) can be reversed.
 */
export async function reverseReceipt(ctx: WriteContext, id: string, reason: string): Promise<Schemas["Receipt"]> {
  const tx = ctx.db;
  const r = await loadReceipt(ctx, id);
  const balance = (await lockBalances(tx, [r.case_id])).get(r.case_id);
  assert.ok(balance, "every case has a balance row");
  if (await receiptsStore.reversalOf(tx, id)) throw invalidState("The receipt has already been reversed");
  const amount = moneyFromDb(r.amount);
  const available = moneyFromDb(balance.held).minus(moneyFromDb(balance.reserved));
  if (available.lt(amount)) {
    throw new AppError("insufficient_funds", `Only ${formatMoney(available)} of the case's money is available; the receipt of ${formatMoney(amount)} cannot be reversed while its money is reserved or paid out`, {
      cases: [{ caseId: r.case_id, available: formatMoney(available), requested: formatMoney(amount) }],
    });
  }
  const reversedOn = ctx.today;
  const reversal = await receiptsStore.insertReversal(tx, {
    id: crypto.randomUUID(),
    court_id: r.court_id,
    case_id: r.case_id,
    receipt_id: id,
    reason,
    reversed_on: reversedOn,
    created_by: ctx.actor.id,
  });
  await postEntries(tx, [
    { kind: "receipt_reversal", courtId: r.court_id, caseId: r.case_id, amount, effectiveOn: reversedOn, receiptId: id, memo: reason, createdBy: ctx.actor.id },
  ]);
  await refreshPerformance(tx, r.case_id);
  ctx.audit.record({
    action: "receipt.reversed",
    entityType: "receipt",
    entityId: id,
    courtId: r.court_id,
    data: { caseId: r.case_id, amount: formatMoney(amount), reason, reversalId: reversal.id },
  });
  return toReceipt(r, reversal);
}
