import { conflict, invalidState, validationFailed } from "../core/errors";
import type { WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { lockBalances, refreshPerformance } from "../ledger/postings";
import { formatMoney, moneyFromDb, moneyToDb, type Money } from "../core/money";
import type { CaseUpdateInput } from "./cases.schemas";
import { casesStore, type CaseRow } from "./cases-store";
import { loadCase, presentCase } from "./cases-service";
import { normaliseCaseNumber } from "./masking";
import { withdrawFullyPerformedRemovals } from "../listings/listing-removal-service";

type Change = { before: unknown; after: unknown };
type CasePatch = Parameters<typeof casesStore.updateCase>[2];

/**
 * Corrections of what a clerk typed (PATCH /v1/cases/{id}). What stays uncorrectable, and why:
 * money records (receipts, entries, payouts) — they are corrected by reversing entries; the court
 * and the case's parties' roles — a case of another court is a different case; on a closed case the
 * filing date and the adjudicated amount — the closing was decided on them. Every correction is
 * one audit event with the reason and each field's before and after.
 */
export async function updateCase(ctx: WriteContext, id: string, input: CaseUpdateInput): Promise<Schemas["Case"]> {
  const tx = ctx.db;
  await loadCase(tx, ctx.actor, id); // 404 before taking any lock
  // The balance row is the case's lock: a receipt or a batch racing the correction waits for it.
  await lockBalances(tx, [id]);
  const c = await loadCase(tx, ctx.actor, id);
  const changes: Record<string, Change> = {};
  const patch: CasePatch = {};

  if (input.caseNumber !== undefined && input.caseNumber !== c.case_number) {
    const key = normaliseCaseNumber(input.caseNumber);
    if (await casesStore.caseNumberTaken(tx, c.court_id, key, id)) {
      throw conflict(`Case ${input.caseNumber} already exists in this court`);
    }
    Object.assign(patch, { case_number: input.caseNumber, case_number_key: key });
    changes.caseNumber = { before: c.case_number, after: input.caseNumber };
  }
  if (input.cause !== undefined && input.cause !== c.cause) {
    patch.cause = input.cause;
    changes.cause = { before: c.cause, after: input.cause };
  }
  if (input.performBy !== undefined && input.performBy !== c.perform_by) {
    patch.perform_by = input.performBy;
    changes.performBy = { before: c.perform_by, after: input.performBy };
  }
  if (input.filedOn !== undefined && input.filedOn !== c.filed_on) {
    await checkFiledOn(ctx, c, input.filedOn);
    patch.filed_on = input.filedOn;
    changes.filedOn = { before: c.filed_on, after: input.filedOn };
  }
  const amountChanged = input.adjudicatedAmount !== undefined && !input.adjudicatedAmount.eq(moneyFromDb(c.adjudicated_amount));
  if (amountChanged && input.adjudicatedAmount !== undefined) {
    checkAdjudicatedAmount(c, input.adjudicatedAmount);
    patch.adjudicated_amount = moneyToDb(input.adjudicatedAmount);
    changes.adjudicatedAmount = { before: formatMoney(c.adjudicated_amount), after: formatMoney(input.adjudicatedAmount) };
  }
  if (Object.keys(changes).length === 0) {
    throw validationFailed([{ path: "body", message: "every value given is the one on record: nothing to correct" }], "Nothing to correct");
  }

  try {
    // A savepoint: a racing correction or case that took the number first is a 409, not a 500.
    await tx.transaction((sp) => casesStore.updateCase(sp, id, patch));
  } catch (err) {
    if ((err as { code?: string } | null)?.code === "23505") throw conflict(`Case ${input.caseNumber ?? c.case_number} already exists in this court`);
    throw err;
  }
  // What the debtor owes hangs on the amount and on performBy (the doubled interest runs from it).
  const performance = amountChanged || changes.performBy !== undefined ? await rederivePerformance(ctx, c) : {};
  ctx.audit.record({
    action: "case.corrected",
    entityType: "case",
    entityId: id,
    courtId: c.court_id,
    data: { reason: input.reason, changes, ...performance },
  });
  const updated = await casesStore.find(tx, id);
  if (!updated) throw new Error("the case just corrected is missing");
  return presentCase(tx, updated, ctx.today);
}

type LockedCase = CaseRow & { balance: { held: string; reserved: string; disbursed: string; fully_performed_on: string | null } };

/** The filing date is a real date and never later than what followed the filing. */
async function checkFiledOn(ctx: WriteContext, c: LockedCase, filedOn: string): Promise<void> {
  if (filedOn > ctx.today) throw validationFailed([{ path: "body.filedOn", message: "must not be in the future" }], "filedOn is in the future");
  if (c.status === "closed") throw invalidState("The case is closed: its filing date can no longer be corrected");
  const balance = await casesStore.firstReceivedOn(ctx.db, c.id);
  if (balance !== null && filedOn > balance) {
    throw invalidState(`The case's first receipt arrived on ${balance}: the filing date cannot move after it`);
  }
  const decided = await casesStore.earliestListingDecision(ctx.db, c);
  if (decided !== null && filedOn > decided) {
    throw invalidState(`A debtor of the case was listed on ${decided}: the filing date cannot move after it`);
  }
}

/** The adjudicated amount never drops below what has been paid out or set aside for paying. */
function checkAdjudicatedAmount(c: LockedCase, amount: Money): void {
  if (c.status === "closed") throw invalidState("The case is closed: its adjudicated amount can no longer be corrected");
  const committed = moneyFromDb(c.balance.disbursed).plus(moneyFromDb(c.balance.reserved));
  if (amount.lt(committed)) {
    throw invalidState(`${formatMoney(committed)} of the case has been paid out or reserved for payment: the adjudicated amount cannot be less`);
  }
}

/**
 * A new adjudicated amount or `performBy` re-derives `fullyPerformedOn` through the ledger's one
 * rule (refreshPerformance, api/ledger/performance.ts), and with it every removal deadline that is computed from it; a removal
 * that waits on "fully performed" stops when the case no longer is (the listings' own rule,
 * api/listings/listing-removal-service.ts).
 */
async function rederivePerformance(ctx: WriteContext, c: LockedCase): Promise<Record<string, unknown>> {
  const tx = ctx.db;
  const before = c.balance.fully_performed_on;
  await refreshPerformance(tx, c.id);
  const after = (await casesStore.find(tx, c.id))?.balance.fully_performed_on ?? null;
  if (before === after) return {};
  const withdrawn = after === null ? await withdrawFullyPerformedRemovals(ctx, c, "the case is no longer fully performed: its adjudicated amount was corrected") : [];
  return { fullyPerformedOn: { before, after }, removalsWithdrawn: withdrawn };
}
