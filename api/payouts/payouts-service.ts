import assert from "node:assert/strict";
import crypto from "node:crypto";
import type { Knex } from "knex";
import { assertCourtAccess, courtsInScope } from "../core/court-scope";
import type { Actor } from "../core/actor";
import { AppError, forbidden, invalidState, notFound, validationFailed, type FieldError } from "../core/errors";
import { requireSecondPerson } from "../core/four-eyes";
import type { ReadContext, WriteContext } from "../core/operation";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { adjustReserved, lockBalances } from "../ledger/postings";
import { formatMoney, moneyFromDb, moneyToDb, MoneyDecimal, sumMoney, ZERO, type Money } from "../core/money";
import { keyedHash } from "../core/keyed-hash";
import type { BatchCreateInput, BatchListQuery } from "./payouts.schemas";
import { presentBatch, presentSummaries, toBatch } from "./payouts-presenter";
import { checkRefundable } from "./refunds";
import { checkFeeItems, feeHeldBack } from "./fee-items";
import { recordApproval } from "./batch-approval";
import { payoutsStore, type BatchRow, type ItemRow, type UnpayableProblem } from "./payouts-store";

/** At most this many item problems are listed in one answer; the detail gives the full count. */
const MAX_LISTED_ERRORS = 100;

/** Reads a batch the actor may see (another court's batch is 404), locking it when in a transaction that changes it. */
export async function loadBatch(knex: Knex, actor: Actor, id: string, opts: { lock?: Knex.Transaction } = {}): Promise<BatchRow> {
  const b = opts.lock ? await payoutsStore.lockBatch(opts.lock, id) : await payoutsStore.findBatch(knex, id);
  if (!b) throw notFound("The payout batch");
  assertCourtAccess(actor, b.court_id, "The payout batch");
  return b;
}

export function sumByCase(items: { caseId: string; amount: Money }[]): Map<string, Money> {
  const byCase = new Map<string, Money>();
  for (const i of items) byCase.set(i.caseId, (byCase.get(i.caseId) ?? ZERO).plus(i.amount));
  return byCase;
}

const itemsByCase = (items: ItemRow[]) => sumByCase(items.map((i) => ({ caseId: i.case_id, amount: moneyFromDb(i.amount) })));

/** A fingerprint of what a batch pays to whom, so that the audit trail can prove the items unchanged. */
function itemsDigest(items: { id: string; caseId: string; partyId?: string | null; amount: Money; account?: string | null }[]): string {
  const h = crypto.createHash("sha256");
  for (const i of items) h.update(`${i.id}|${i.caseId}|${i.partyId ?? ""}|${moneyToDb(i.amount)}|${i.account ?? ""}\n`);
  return h.digest("hex");
}

const UNPAYABLE_AT_CREATION: Record<UnpayableProblem, { field: "caseId" | "partyId" | "agentId"; message: string }> = {
  no_case: { field: "caseId", message: "no such case in the batch's court" },
  case_closed: { field: "caseId", message: "the case is closed" },
  not_a_party: { field: "partyId", message: "not a party of this case" },
  not_an_applicant: { field: "partyId", message: "a debtor of the case: only an applicant is paid" },
  not_entitled: { field: "agentId", message: "not an approved agent of this applicant with special authority to collect (执行工作规定 art. 20)" },
  not_a_debtor: { field: "partyId", message: "a refund pays back a debtor of the case" },
  no_account: { field: "partyId", message: "the applicant has no bank account on file" },
};

/** Every item must pay an applicant with a bank account on file, of an open case of the batch's court. */
async function checkItems(knex: Knex, courtId: string, items: BatchCreateInput["items"]): Promise<void> {
  const problems = await payoutsStore.unpayable(knex, courtId, items);
  if (problems.length === 0) return;
  const errors: FieldError[] = problems.slice(0, MAX_LISTED_ERRORS).map((p) => {
    if (p.problem === "no_account" && items[p.position]?.agentId !== undefined) {
      return { path: `body.items.${p.position}.agentId`, message: "the agent has no bank account on file" };
    }
    const e = UNPAYABLE_AT_CREATION[p.problem];
    return { path: `body.items.${p.position}.${e.field}`, message: e.message };
  });
  // Paying someone other than the entitled party is not a typing error: 422 not_entitled.
  if (problems.some((p) => p.problem === "not_entitled")) {
    throw new AppError("not_entitled", `${problems.length} of ${items.length} items cannot be paid; an agent is paid only when approved with special authority to collect: see errors`, { errors });
  }
  throw validationFailed(errors, `${problems.length} of ${items.length} items cannot be paid${problems.length > errors.length ? ` (the first ${errors.length} are listed)` : ""}: see errors`);
}

export async function createBatch(ctx: WriteContext, input: BatchCreateInput): Promise<Schemas["PayoutBatch"]> {
  const tx = ctx.db;
  assertCourtAccess(ctx.actor, input.courtId, "The court");
  await checkItems(tx, input.courtId, input.items);
  await checkRefundable(tx, input.items.map((i) => ({ caseId: i.caseId, amount: i.amount, kind: i.kind })), { exceptBatchId: null, courtId: input.courtId });
  await checkFeeItems(tx, input.courtId, input.items, { exceptBatchId: null, at: "body.items" });
  const id = crypto.randomUUID();
  const items = input.items.map((i, position) => ({ ...i, id: crypto.randomUUID(), position }));
  const total = sumMoney(items.map((i) => i.amount));
  const caseCount = new Set(items.map((i) => i.caseId)).size;
  const batch = await payoutsStore.insertBatch(tx, {
    id,
    court_id: input.courtId,
    note: input.note ?? null,
    item_count: items.length,
    case_count: caseCount,
    total_amount: moneyToDb(total),
    created_by: ctx.actor.id,
  });
  const rows = items.map((i) => ({
    id: i.id,
    court_id: input.courtId,
    batch_id: id,
    position: i.position,
    case_id: i.caseId,
    party_id: i.partyId ?? null,
    agent_id: i.agentId ?? null,
    amount: moneyToDb(i.amount),
    kind: i.kind,
    refund_reason: i.refundReason ?? null,
  }));
  await payoutsStore.insertItems(tx, rows);
  ctx.audit.record({
    action: "payout_batch.created",
    entityType: "payout_batch",
    entityId: id,
    courtId: input.courtId,
    data: { items: items.length, cases: caseCount, amount: formatMoney(total), note: input.note ?? null, itemsSha256: itemsDigest(items) },
  });
  const stored: ItemRow[] = rows.map((r) => ({
    ...r,
    status: "pending",
    payee_name: null,
    payee_bank_name: null,
    payee_account_name: null,
    payee_account_number: null,
    bank_reference: null,
    failure_reason: null,
    returned_on: null,
    return_reason: null,
    returned_by: null,
    returned_at: null,
  }));
  return toBatch(batch, stored);
}

/**
 * Reserves the batch's money: per case, the sum of its items must fit in what is available now.
 * The balance rows are locked in case-id order, so racing submits over the same cases queue up
 * and each sees what the one before it reserved.
 */
export async function submitBatch(ctx: WriteContext, id: string): Promise<Schemas["PayoutBatch"]> {
  const tx = ctx.db;
  const batch = await loadBatch(tx, ctx.actor, id, { lock: tx });
  if (batch.status !== "draft") throw invalidState(`The batch is ${batch.status}: only a draft can be submitted`);
  const items = await payoutsStore.itemsOf(tx, id);
  const requested = itemsByCase(items);
  const balances = await lockBalances(tx, [...requested.keys()]);
  const stale = await payoutsStore.unpayable(tx, batch.court_id, items.map((i) => ({ caseId: i.case_id, partyId: i.party_id, agentId: i.agent_id, kind: i.kind })));
  await checkRefundable(tx, items.map((i) => ({ caseId: i.case_id, amount: moneyFromDb(i.amount), kind: i.kind ?? "applicant" })), { exceptBatchId: id, courtId: batch.court_id });
  const feeAccount = await checkFeeItems(tx, batch.court_id, items.map((i) => ({ caseId: i.case_id, amount: moneyFromDb(i.amount), kind: i.kind ?? "applicant" })), { exceptBatchId: id, at: "items" });
  if (stale.length > 0) {
    throw invalidState("Some items can no longer be paid: cancel the batch and make a new one", {
      errors: stale.slice(0, MAX_LISTED_ERRORS).map((s) => ({
        path: `items.${s.position}`,
        message: s.problem === "case_closed" ? "the case has been closed" : s.problem === "not_entitled" ? "the agent is not entitled to collect" : "the payee has no bank account on file",
      })),
    });
  }
  // Money pays a charged execution fee first (民诉法解释 art. 508): what paid it stays for the fee
  // account, unless this batch's own fee items send it there.
  const feeHold = await feeHeldBack(tx, batch.court_id, [...requested.keys()], { exceptBatchId: id });
  const feeInBatch = sumByCase(items.filter((i) => i.kind === "execution_fee").map((i) => ({ caseId: i.case_id, amount: moneyFromDb(i.amount) })));
  const short: { caseId: string; available: string; requested: string }[] = [];
  for (const [caseId, amount] of [...requested.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const b = balances.get(caseId);
    assert.ok(b, "every case has a balance row");
    const keptForFee = MoneyDecimal.max(ZERO, (feeHold.get(caseId) ?? ZERO).minus(feeInBatch.get(caseId) ?? ZERO));
    const available = moneyFromDb(b.held).minus(moneyFromDb(b.reserved)).minus(keptForFee);
    if (amount.gt(available)) short.push({ caseId, available: formatMoney(MoneyDecimal.max(ZERO, available)), requested: formatMoney(amount) });
  }
  if (short.length > 0) {
    throw new AppError("insufficient_funds", `${short.length} of ${requested.size} cases do not have enough money available: see cases`, { cases: short });
  }
  await adjustReserved(tx, requested);
  const withPayees = await payoutsStore.copyPayees(tx, id, feeAccount);
  assert.equal(withPayees.length, batch.item_count, "every item gets its payee");
  const updated = await payoutsStore.updateBatch(tx, id, { status: "submitted", submitted_by: ctx.actor.id, submitted_at: ctx.now });
  ctx.audit.record({
    action: "payout_batch.submitted",
    entityType: "payout_batch",
    entityId: id,
    courtId: batch.court_id,
    data: {
      items: batch.item_count,
      cases: batch.case_count,
      reserved: formatMoney(batch.total_amount),
      // The payees as copied now, fingerprinted: the trail holds no full account number, and the
      // digest covers each account only by its keyed hash (a plain one could be searched for numbers).
      itemsSha256: itemsDigest(
        withPayees.map((i) => ({
          id: i.id,
          caseId: i.case_id,
          partyId: i.party_id,
          amount: moneyFromDb(i.amount),
          account: i.payee_account_number === null ? null : keyedHash(ctx.config.identityHashKey, "account_number", i.payee_account_number),
        })),
      ),
    },
  });
  return toBatch(updated, withPayees);
}

/** Four eyes, by user id: the clerk who made or submitted a batch neither approves nor pays it. */
export function assertSecondPerson(batch: BatchRow, actor: Actor, what: string): void {
  requireSecondPerson(actor, [batch.created_by, batch.submitted_by], `The clerk who created or submitted a payout batch cannot ${what} it: a second person must`);
}

export async function approveBatch(ctx: WriteContext, id: string): Promise<Schemas["PayoutBatch"]> {
  const tx = ctx.db;
  const batch = await loadBatch(tx, ctx.actor, id, { lock: tx });
  assertSecondPerson(batch, ctx.actor, "approve");
  if (batch.status !== "submitted") throw invalidState(`The batch is ${batch.status}: only a submitted batch can be approved`);
  // Approval by amount (issue 14): one level per approver; `approved` after the last level.
  const { trail, required, last } = await recordApproval(tx, batch, ctx.actor.id, ctx.now);
  const level = trail[trail.length - 1].level;
  const updated = await payoutsStore.updateBatch(tx, id, {
    required_approvals: required,
    approval_trail: JSON.stringify(trail),
    ...(last ? { status: "approved", approved_by: ctx.actor.id, approved_at: ctx.now } : {}),
  });
  recordBatchEvent(ctx, updated, last ? "payout_batch.approved" : "payout_batch.level_approved", {
    items: batch.item_count,
    amount: formatMoney(batch.total_amount),
    createdBy: batch.created_by,
    level,
    requiredApprovals: required,
    before: { status: batch.status, approvals: trail.length - 1 },
    after: { status: updated.status, approvals: trail.length },
  });
  return presentBatch(tx, updated);
}

/** Gives a submitted batch's reservation back to its cases. */
async function releaseReservation(tx: Knex.Transaction, batchId: string): Promise<void> {
  const requested = itemsByCase(await payoutsStore.itemsOf(tx, batchId));
  const balances = await lockBalances(tx, [...requested.keys()]);
  for (const [caseId, amount] of requested) {
    assert.ok(moneyFromDb(balances.get(caseId)?.reserved).gte(amount), "a submitted batch's money is reserved in its cases");
  }
  await adjustReserved(tx, new Map([...requested].map(([caseId, amount]) => [caseId, amount.neg()])));
}

export async function rejectBatch(ctx: WriteContext, id: string, reason: string): Promise<Schemas["PayoutBatch"]> {
  const tx = ctx.db;
  const batch = await loadBatch(tx, ctx.actor, id, { lock: tx });
  if (batch.status !== "submitted") throw invalidState(`The batch is ${batch.status}: only a submitted batch can be rejected`);
  await releaseReservation(tx, id);
  const updated = await payoutsStore.updateBatch(tx, id, { status: "rejected", rejected_by: ctx.actor.id, rejected_at: ctx.now, reject_reason: reason });
  recordBatchEvent(ctx, updated, "payout_batch.rejected", { items: batch.item_count, released: formatMoney(batch.total_amount), reason });
  return presentBatch(tx, updated);
}

export async function cancelBatch(ctx: WriteContext, id: string, reason: string | null): Promise<Schemas["PayoutBatch"]> {
  const tx = ctx.db;
  const batch = await loadBatch(tx, ctx.actor, id, { lock: tx });
  if (batch.created_by !== ctx.actor.id) throw forbidden("Only the clerk who created a payout batch can cancel it");
  if (batch.status !== "draft" && batch.status !== "submitted") {
    throw invalidState(`The batch is ${batch.status}: only a draft or submitted batch can be cancelled`);
  }
  if (batch.status === "submitted") await releaseReservation(tx, id);
  const updated = await payoutsStore.updateBatch(tx, id, { status: "cancelled", cancelled_by: ctx.actor.id, cancelled_at: ctx.now, cancel_reason: reason });
  recordBatchEvent(ctx, updated, "payout_batch.cancelled", {
    from: batch.status,
    items: batch.item_count,
    released: formatMoney(batch.status === "submitted" ? batch.total_amount : ZERO),
    reason,
  });
  return presentBatch(tx, updated);
}

export function recordBatchEvent(ctx: WriteContext, batch: BatchRow, action: string, data: Record<string, unknown>): void {
  ctx.audit.record({ action, entityType: "payout_batch", entityId: batch.id, courtId: batch.court_id, data });
}

export async function getBatch(ctx: ReadContext, id: string): Promise<Schemas["PayoutBatch"]> {
  return presentBatch(ctx.db, await loadBatch(ctx.db, ctx.actor, id));
}

export async function listBatches(ctx: ReadContext, query: BatchListQuery): Promise<Page<Schemas["PayoutBatchSummary"]>> {
  const knex = ctx.db;
  const rows = await payoutsStore.list(knex, {
    courtIds: courtsInScope(ctx.actor, query.courtId),
    status: query.status,
    createdFrom: query.createdFrom,
    createdTo: query.createdTo,
    after: decodeCursor(query.cursor, ["timestamp", "uuid"]),
    limit: query.limit,
  });
  const page = toPage(rows, query.limit, (r) => [r.cursor_at, r.id], (r) => r);
  return { data: await presentSummaries(knex, page.data), nextCursor: page.nextCursor };
}
