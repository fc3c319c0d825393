import assert from "node:assert/strict";
import { invalidState, notFound, validationFailed, type FieldError } from "../core/errors";
import type { WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { adjustReserved, lockBalances, postBatchPayouts, postEntries } from "../ledger/postings";
import { formatMoney, moneyFromDb, sumMoney, type Money } from "../core/money";
import type { BatchExecuteInput, ItemReturnInput, OutcomeInput } from "./payouts.schemas";
import { toBatch } from "./payouts-presenter";
import { assertSecondPerson, loadBatch, recordBatchEvent, sumByCase } from "./payouts-service";
import { payoutsStore, type ItemRow } from "./payouts-store";

const MAX_LISTED_ERRORS = 100;

function refuse(errors: FieldError[], detail: string): never {
  throw validationFailed(errors.slice(0, MAX_LISTED_ERRORS), detail);
}

/** Outcomes, when given, name every item of the batch exactly once. */
function checkOutcomes(items: Pick<ItemRow, "id" | "position">[], outcomes: OutcomeInput[]): Map<string, OutcomeInput> {
  const ids = new Set(items.map((i) => i.id));
  const byItem = new Map<string, OutcomeInput>();
  const errors: FieldError[] = [];
  outcomes.forEach((o, n) => {
    if (!ids.has(o.itemId)) errors.push({ path: `body.outcomes.${n}.itemId`, message: "not an item of this batch" });
    else if (byItem.has(o.itemId)) errors.push({ path: `body.outcomes.${n}.itemId`, message: "this item already has an outcome" });
    else byItem.set(o.itemId, o);
  });
  if (errors.length > 0) refuse(errors, `${errors.length} outcomes do not name an item of this batch once: see errors`);
  const missing = items.filter((i) => !byItem.has(i.id));
  if (missing.length > 0) {
    refuse(
      missing.map((i) => ({ path: "body.outcomes", message: `item ${i.id} (line ${i.position + 1}) has no outcome` })),
      `outcomes must cover every item of the batch: ${missing.length} of ${items.length} are missing (leave outcomes out when every item was paid)`,
    );
  }
  return byItem;
}

/**
 * Records the bank's outcome of an approved batch, all of it or none of it, in one transaction:
 * paid items move money out of their cases (a `payout` entry each, set-based), every item's
 * reservation is released (paid and failed alike), and the batch becomes `executed`.
 */
export async function executeBatch(ctx: WriteContext, id: string, input: BatchExecuteInput): Promise<Schemas["PayoutBatch"]> {
  const tx = ctx.db;
  const batch = await loadBatch(tx, ctx.actor, id, { lock: tx });
  assertSecondPerson(batch, ctx.actor, "execute");
  if (batch.status !== "approved") throw invalidState(`The batch is ${batch.status}: only an approved batch can be executed`);
  if (input.paidOn > ctx.today) refuse([{ path: "body.paidOn", message: "must not be in the future (China time)" }], "paidOn is in the future");
  const items = await payoutsStore.itemsForPayment(tx, id);
  const outcomes = input.outcomes ? checkOutcomes(items, input.outcomes) : null;
  const paid = outcomes ? items.filter((i) => outcomes.get(i.id)?.status === "paid") : items;

  const reserved = sumByCase(items.map((i) => ({ caseId: i.case_id, amount: moneyFromDb(i.amount) })));
  const balances = await lockBalances(tx, [...reserved.keys()]);
  const early = [...new Set(paid.map((i) => i.case_id))]
    .sort()
    .filter((caseId) => {
      const first = balances.get(caseId)?.first_received_on ?? null;
      return first === null || input.paidOn < first;
    });
  if (early.length > 0) {
    refuse(
      early.map((caseId) => ({ path: "body.paidOn", message: `before case ${caseId} received its first money (${balances.get(caseId)?.first_received_on ?? "none"})` })),
      `paidOn lies before the first receipt of ${early.length} paid cases: see errors`,
    );
  }
  for (const [caseId, amount] of reserved) {
    assert.ok(moneyFromDb(balances.get(caseId)?.reserved).gte(amount), "an approved batch's money is reserved in its cases");
  }

  // Release first: a payout lowers held, and the CHECK reserved <= held holds after every statement.
  await adjustReserved(tx, new Map([...reserved].map(([caseId, amount]) => [caseId, amount.neg()])));
  const updatedItems = outcomes
    ? await payoutsStore.applyOutcomes(
        tx,
        id,
        [...outcomes.values()].map((o) => ({ itemId: o.itemId, status: o.status, bankReference: o.bankReference ?? null, failureReason: o.failureReason ?? null })),
      )
    : await payoutsStore.markAllPaid(tx, id);
  assert.equal(updatedItems.length, items.length, "every pending item gets its outcome");
  // The paid items' entries, by the database from the items themselves (one statement).
  const posted = await postBatchPayouts(tx, { batchId: id, paidOn: input.paidOn, createdBy: ctx.actor.id });
  const paidTotal: Money = sumMoney(paid.map((i) => moneyFromDb(i.amount)));
  assert.equal(posted.entries, paid.length, "one payout entry per paid item");
  assert.ok(posted.amount.eq(paidTotal), "the entries carry the paid items' amounts");
  const updated = await payoutsStore.updateBatch(tx, id, { status: "executed", executed_by: ctx.actor.id, executed_at: tx.fn.now(), paid_on: input.paidOn });

  const failedCount = items.length - paid.length;
  recordBatchEvent(ctx, updated, "payout_batch.executed", {
    paidOn: input.paidOn,
    paid: { items: paid.length, cases: new Set(paid.map((i) => i.case_id)).size, amount: formatMoney(paidTotal) },
    failed: { items: failedCount, amount: formatMoney(moneyFromDb(batch.total_amount).minus(paidTotal)) },
    released: formatMoney(batch.total_amount),
  });
  return toBatch(updated, updatedItems);
}

/** A paid transfer the bank sent back: the money returns to the case's held balance, once. */
export async function returnItem(ctx: WriteContext, ids: { batchId: string; itemId: string }, input: ItemReturnInput): Promise<Schemas["PayoutBatch"]> {
  const tx = ctx.db;
  const batch = await loadBatch(tx, ctx.actor, ids.batchId, { lock: tx });
  const item = await payoutsStore.findItem(tx, ids.batchId, ids.itemId);
  if (!item) throw notFound("The payout item");
  if (batch.status !== "executed") throw invalidState(`The batch is ${batch.status}: only an item of an executed batch can be returned`);
  if (item.status !== "paid") throw invalidState(`The item is ${item.status}: only a paid item can be returned`);
  assert.ok(batch.paid_on, "an executed batch has its paidOn");
  if (input.returnedOn > ctx.today || input.returnedOn < batch.paid_on) {
    refuse([{ path: "body.returnedOn", message: `must lie between the batch's paidOn ${batch.paid_on} and today` }], "returnedOn is out of range");
  }
  await lockBalances(tx, [item.case_id]);
  const amount = moneyFromDb(item.amount);
  await postEntries(tx, [
    { kind: "payout_return", courtId: item.court_id, caseId: item.case_id, amount, effectiveOn: input.returnedOn, payoutItemId: item.id, memo: input.reason, createdBy: ctx.actor.id },
  ]);
  await payoutsStore.markReturned(tx, item.id, { returnedOn: input.returnedOn, reason: input.reason, by: ctx.actor.id });
  ctx.audit.record({
    action: "payout_item.returned",
    entityType: "payout_item",
    entityId: item.id,
    courtId: item.court_id,
    data: { batchId: batch.id, caseId: item.case_id, amount: formatMoney(amount), returnedOn: input.returnedOn, reason: input.reason },
  });
  const items = await payoutsStore.itemsOf(tx, ids.batchId);
  return toBatch(batch, items);
}
