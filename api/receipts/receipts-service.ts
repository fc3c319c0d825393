import assert from "node:assert/strict";
import crypto from "node:crypto";
import type { Knex } from "knex";
import { loadCaseLockedWith } from "../cases/cases-service";
import { courtSettingsOfCase } from "../courts/court-settings";
import { assertCourtAccess } from "../core/court-scope";
import { AppError, invalidState, notFound, validationFailed } from "../core/errors";
import type { ReadContext, ServiceContext, WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { entryCtes, lockBalances, postEntries, refreshPerformance } from "../ledger/postings";
import { receiptMayPerform } from "../ledger/performance";
import { formatMoney, moneyFromDb, moneyToDb } from "../core/money";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import { courtsInScope } from "../core/court-scope";
import { loadWorkingCalendar } from "../calendar/calendar-service";
import type { WorkingCalendar } from "../calendar/working-calendar";
import { claimReferenceForReceipt } from "./bank-references";
import type { ReceiptCreateInput, ReceiptListQuery } from "./receipts.schemas";
import { receiptsStore, type ReceiptRow, type ReversalRow } from "./receipts-store";
import { deadlinesUnder, type DisbursementDeadline } from "./disbursement-deadline";

export { DISBURSE_WITHIN_DAYS } from "./disbursement-deadline";

/** Cash not handed to finance by the next working day after it was received (款物规定). */
export function handoverLate(r: Pick<ReceiptRow, "source" | "received_on" | "handed_over_on">, calendar: WorkingCalendar): boolean {
  if (r.source !== "cash" || !r.handed_over_on) return false;
  return r.handed_over_on > calendar.workingDayAfter(r.received_on, 1).date;
}

export function toReceipt(r: ReceiptRow, reversal: ReversalRow | undefined, late = false): Schemas["Receipt"] {
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
    witnessIds: r.witness_ids,
    handedOverOn: r.handed_over_on,
    handoverLate: late,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    reversal: reversal
      ? { id: reversal.id, reason: reversal.reason, reversedOn: reversal.reversed_on, createdAt: reversal.created_at.toISOString(), createdBy: reversal.created_by }
      : null,
  };
}

export async function recordReceipt(ctx: WriteContext, caseId: string, input: ReceiptCreateInput): Promise<Schemas["Receipt"]> {
  const tx = ctx.db;
  // The case and its balance lock in one statement, with its court's settings in the same round
  // trip; the status is checked again by the insert.
  const locked = await loadCaseLockedWith(tx, ctx.actor, caseId, [courtSettingsOfCase.statement(caseId)]);
  const c = locked.c;
  if (c.status !== "open") throw invalidState("The case is closed: it cannot receive money");
  if (input.receivedOn > ctx.today) {
    throw validationFailed([{ path: "body.receivedOn", message: "must not be in the future" }], "receivedOn is in the future");
  }
  if (input.receivedOn < c.filed_on) {
    throw validationFailed([{ path: "body.receivedOn", message: `must not be before the filing date ${c.filed_on}` }], "receivedOn is before the case was filed");
  }
  if (input.source === "cash") await checkCash(ctx, c.court_id, input);
  const deadline = (await deadlinesUnder(tx, courtSettingsOfCase.read(locked.alongside[0])))(input.receivedOn, input.amount);
  const id = crypto.randomUUID();
  const receipt = await receiptsStore.insertPosted(
    tx,
    {
      id,
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
      handed_over_on: input.handedOverOn ?? null,
      witness_ids: input.witnessIds ?? null,
      created_by: ctx.actor.id,
    },
    entryCtes({ kind: "receipt", courtId: c.court_id, caseId, amount: input.amount, effectiveOn: input.receivedOn, receiptId: id, createdBy: ctx.actor.id }, "posted_receipt", {
      firstReceivedOn: input.receivedOn,
    }),
  );
  // Closed while this request waited for the balance lock.
  if (!receipt) throw invalidState("The case is closed: it cannot receive money");
  if (input.bankReference) await claimReferenceForReceipt(tx, c.court_id, input.bankReference, receipt.id);
  if (receiptMayPerform(moneyFromDb(c.adjudicated_amount), moneyFromDb(c.balance.received).plus(input.amount))) await refreshPerformance(tx, caseId);
  ctx.audit.record({
    action: "receipt.recorded",
    entityType: "receipt",
    entityId: receipt.id,
    courtId: c.court_id,
    data: {
      caseId,
      amount: formatMoney(input.amount),
      receivedOn: input.receivedOn,
      source: input.source,
      disburseBy: receipt.disburse_by,
      statutoryDisburseBy: deadline.statutory,
      localDisburseBy: deadline.local,
      ...(input.bankReference ? { bankReference: input.bankReference } : {}),
      ...(input.source === "cash" ? { witnessIds: input.witnessIds, handedOverOn: input.handedOverOn } : {}),
    },
  });
  const late = input.source === "cash" ? handoverLate(receipt, await loadWorkingCalendar(tx)) : false;
  return toReceipt(receipt, undefined, late);
}

/** Cash: two officers of the court present (neither may be missing), handed over not in the future. */
async function checkCash(ctx: WriteContext, courtId: string, input: ReceiptCreateInput): Promise<void> {
  const witnesses = input.witnessIds ?? [];
  if (input.handedOverOn && input.handedOverOn > ctx.today) {
    throw validationFailed([{ path: "body.handedOverOn", message: "must not be in the future" }], "handedOverOn is in the future");
  }
  if ((await receiptsStore.usersOfCourt(ctx.db, courtId, witnesses)) !== 2) {
    throw validationFailed([{ path: "body.witnessIds", message: "both witnesses must be active users of the case's court" }], "The cash witnesses are not two officers of this court");
  }
}

/** Finance's day: a court's receipts in the order they were received. */
export async function listReceipts(ctx: ReadContext, q: ReceiptListQuery): Promise<Page<Schemas["Receipt"]>> {
  const [courtId] = courtsInScope(ctx.actor, q.courtId);
  if (q.from && q.to && q.from > q.to) throw validationFailed([{ path: "query.from", message: "must not be after to" }], "from is after to");
  const after = decodeCursor(q.cursor, ["date", "timestamp", "uuid"]);
  const rows = (await receiptsStore.list(ctx.db, { courtId, from: q.from, to: q.to, source: q.source, after, limit: q.limit })) as (ReceiptRow & { cursor_at: string })[];
  const reversals = await receiptsStore.reversalsOf(ctx.db, rows.map((r) => r.id));
  const calendar = rows.some((r) => r.source === "cash") ? await loadWorkingCalendar(ctx.db) : null;
  return toPage(rows, q.limit, (r) => [r.received_on, r.cursor_at, r.id], (r) => toReceipt(r, reversals.get(r.id), calendar ? handoverLate(r, calendar) : false));
}

export async function loadReceipt(ctx: ServiceContext, id: string): Promise<ReceiptRow> {
  const r = await receiptsStore.find(ctx.db, id);
  if (!r) throw notFound("The receipt");
  assertCourtAccess(ctx.actor, r.court_id, "The receipt");
  return r;
}

export async function getReceipt(ctx: ReadContext, id: string): Promise<Schemas["Receipt"]> {
  const r = await loadReceipt(ctx, id);
  const late = r.source === "cash" ? handoverLate(r, await loadWorkingCalendar(ctx.db)) : false;
  return toReceipt(r, await receiptsStore.reversalOf(ctx.db, id), late);
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

export type NewReceiptRow = Omit<ReceiptRow, "created_at">;

/** Receipts made by the system's own matching (a statement import, a claim), set-based. The caller posts their entries. */
export async function insertReceiptRows(tx: Knex.Transaction, rows: NewReceiptRow[]): Promise<ReceiptRow[]> {
  const inserted: ReceiptRow[] = [];
  for (let i = 0; i < rows.length; i += 5000) inserted.push(...(await receiptsStore.insertMany(tx, rows.slice(i, i + 5000))));
  assert.equal(inserted.length, rows.length, "every receipt was inserted");
  return inserted;
}

/** A receipt row's deadline columns: the statutory and the local one, and the earlier of them (disbursement-deadline.ts). */
export const deadlineColumns = (d: DisbursementDeadline) => ({ disburse_by: d.disburseBy, statutory_disburse_by: d.statutory, local_disburse_by: d.local });
