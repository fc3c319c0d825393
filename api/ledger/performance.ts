import assert from "node:assert/strict";
import type { Knex } from "knex";
import { computeAmountOwed, type AmountOwed, type Payment } from "./amount-owed";
import { moneyFromDb, type Money } from "../core/money";

/**
 * The one home of "fully performed" (issue 14 item 5). A case is fully performed on the first day
 * its receipts reach what it owes as of that day (`computeAmountOwed`: the charged execution fee,
 * the principal, the doubled delay interest where the case has `performBy`); or on the day an
 * officer recorded full performance (`case_performances`, e.g. the applicant waived the interest),
 * whichever is earlier. Without `performBy` and without a charged fee this is v1's rule: the day
 * the receipts reach the adjudicated amount.
 */
export interface PerformanceFacts {
  caseId: string;
  courtId: string;
  principal: Money;
  performBy: string | null;
  chargeExecutionFee: boolean;
  payments: Payment[];
  recorded: { performedOn: string; waivedDelayInterest: boolean; note: string; createdBy: string; createdAt: Date } | null;
}

interface CaseRow {
  id: string;
  court_id: string;
  adjudicated_amount: string;
  perform_by: string | null;
  charge_execution_fee: boolean | null;
}

/** The case's figures, its live receipts (oldest first, as payouts use them) and any recorded performance. */
export async function performanceFacts(knex: Knex, caseId: string): Promise<PerformanceFacts | undefined> {
  return (await performanceFactsWhere(knex, "c.id = ?::uuid", [caseId]))[0];
}

/**
 * The same facts for many cases in one statement (issue 14: a change of `chargeExecutionFee`
 * re-derives every open case of the court). `where` is SQL over `cases c`.
 */
async function performanceFactsWhere(knex: Knex, where: string, bindings: string[]): Promise<(PerformanceFacts & { fullyPerformedOnBefore: string | null })[]> {
  // One statement: the case, its court's fee setting, its live receipts and any recorded performance.
  // court_settings is the courts feature's table; read here directly because courts imports the ledger's importers.
  const { rows } = await knex.raw<{ rows: (CaseRow & { payments: { on: string; amount: string }[]; recorded: RecordedRow | null; fully_performed_on: string | null })[] }>(
    `SELECT c.id, c.court_id, c.adjudicated_amount, c.perform_by::text AS perform_by, s.charge_execution_fee,
            b.fully_performed_on::text AS fully_performed_on,
            coalesce((SELECT json_agg(json_build_object('on', r.received_on::text, 'amount', r.amount::text) ORDER BY r.received_on, r.created_at, r.id)
                        FROM receipts r
                       WHERE r.case_id = c.id AND r.court_id = c.court_id
                         AND NOT EXISTS (SELECT 1 FROM receipt_reversals v WHERE v.receipt_id = r.id)), '[]'::json) AS payments,
            (SELECT json_build_object('performed_on', p.performed_on::text, 'waived_delay_interest', p.waived_delay_interest, 'note', p.note,
                                      'created_by', p.created_by, 'created_at', p.created_at)
               FROM case_performances p WHERE p.case_id = c.id AND p.court_id = c.court_id LIMIT 1) AS recorded
       FROM cases c LEFT JOIN court_settings s ON s.court_id = c.court_id
       LEFT JOIN case_balances b ON b.case_id = c.id
      WHERE ${where}
      ORDER BY c.id`,
    bindings,
  );
  return rows.map((c) => {
    const recorded = c.recorded;
    return {
      caseId: c.id,
      courtId: c.court_id,
      principal: moneyFromDb(c.adjudicated_amount),
      performBy: c.perform_by,
      chargeExecutionFee: c.charge_execution_fee ?? false,
      payments: c.payments.map((r) => ({ on: r.on, amount: moneyFromDb(r.amount) })),
      recorded: recorded
        ? { performedOn: recorded.performed_on, waivedDelayInterest: recorded.waived_delay_interest, note: recorded.note, createdBy: recorded.created_by, createdAt: new Date(recorded.created_at) }
        : null,
      fullyPerformedOnBefore: c.fully_performed_on,
    };
  });
}

interface RecordedRow {
  performed_on: string;
  waived_delay_interest: boolean;
  note: string;
  created_by: string;
  created_at: string;
}

export function amountOwedOn(facts: PerformanceFacts, asOf: string): AmountOwed {
  return computeAmountOwed({ principal: facts.principal, performBy: facts.performBy, chargeExecutionFee: facts.chargeExecutionFee, payments: facts.payments, asOf });
}

/** The day the case became fully performed, or null. */
export function fullyPerformedOnOf(facts: PerformanceFacts): string | null {
  const last = facts.payments[facts.payments.length - 1]?.on;
  const byLedger = last === undefined ? null : amountOwedOn(facts, last).fullyPerformedOn;
  const recorded = facts.recorded?.performedOn ?? null;
  if (byLedger === null) return recorded;
  if (recorded === null) return byLedger;
  return recorded < byLedger ? recorded : byLedger;
}

/**
 * Whether money just received could make the case fully performed by the ledger. What a debtor
 * owes is never below the principal (the fee and the interest only add to it), so while the live
 * receipts stay below the adjudicated amount `fully_performed_on` cannot change and a receipt need
 * not recompute it (its first receipt date is kept by the posting itself).
 */
export function receiptMayPerform(principal: Money, receivedAfter: Money): boolean {
  return receivedAfter.gte(principal);
}

/**
 * Recomputes a case's first receipt date and `fully_performed_on` (the removal clock of its
 * listings hangs on it). Call after every change to its receipts, its adjudicated amount, its
 * `performBy` or a recorded performance, in the transaction that made it, the balance row locked.
 */
export async function refreshPerformance(tx: Knex.Transaction, caseId: string): Promise<void> {
  const facts = await performanceFacts(tx, caseId);
  if (!facts) throw new Error(`case ${caseId} vanished while its performance was refreshed`);
  await tx("case_balances")
    .where({ case_id: caseId, court_id: facts.courtId })
    .update({ first_received_on: facts.payments[0]?.on ?? null, fully_performed_on: fullyPerformedOnOf(facts) });
}

/** What a set-based refresh changed: each case whose fully-performed day moved. */
export interface PerformanceChange {
  caseId: string;
  before: string | null;
  after: string | null;
}

const SET_CHUNK = 2000;

function uuidArray(ids: readonly string[]): string {
  for (const id of ids) assert.match(id, /^[0-9a-f-]{36}$/i, "a uuid");
  return `{${[...new Set(ids)].join(",")}}`;
}

/**
 * `refreshPerformance` for a set of cases, set-based (issue 14: a court turning `chargeExecutionFee`
 * on or off changes what each of its open cases owes): the balance rows are locked in case-id
 * order in one statement, the facts are read in one statement, the one rule (`fullyPerformedOnOf`)
 * runs in memory, and the changed rows are written in one statement per 2,000 cases. Answers the
 * cases whose `fully_performed_on` moved.
 */
export async function refreshPerformanceSet(tx: Knex.Transaction, scope: { caseIds: readonly string[] } | { openCasesOfCourt: string }): Promise<PerformanceChange[]> {
  const [where, bindings]: [string, string[]] =
    "caseIds" in scope ? ["c.id = ANY(?::uuid[])", [uuidArray(scope.caseIds)]] : ["c.court_id = ?::uuid AND c.status = 'open'", [scope.openCasesOfCourt]];
  if ("caseIds" in scope && scope.caseIds.length === 0) return [];
  await tx.raw(`SELECT b.case_id FROM case_balances b JOIN cases c ON c.id = b.case_id WHERE ${where} ORDER BY b.case_id FOR UPDATE OF b`, bindings);
  const all = await performanceFactsWhere(tx, where, bindings);
  const rows = all.map((f) => ({ caseId: f.caseId, first: f.payments[0]?.on ?? null, before: f.fullyPerformedOnBefore, after: fullyPerformedOnOf(f) }));
  for (let i = 0; i < rows.length; i += SET_CHUNK) {
    const chunk = rows.slice(i, i + SET_CHUNK);
    await tx.raw(
      `UPDATE case_balances b SET first_received_on = v.first_on, fully_performed_on = v.performed_on, updated_at = now()
         FROM (VALUES ${chunk.map(() => "(?::uuid, ?::date, ?::date)").join(", ")}) AS v(case_id, first_on, performed_on)
        WHERE b.case_id = v.case_id
          AND (b.first_received_on, b.fully_performed_on) IS DISTINCT FROM (v.first_on, v.performed_on)`,
      chunk.flatMap((r) => [r.caseId, r.first, r.after]),
    );
  }
  return rows.filter((r) => r.before !== r.after).map((r) => ({ caseId: r.caseId, before: r.before, after: r.after }));
}

/**
 * The execution fee a case paid from its proceeds to the court's fee account by `asOf` (issue 14):
 * its payout entries for items of kind `execution_fee`, net of returns. A read of the payouts
 * feature's item kind, as the refund rule reads it.
 */
export async function executionFeePaidOut(knex: Knex, caseId: string, asOf: string): Promise<Money> {
  const { rows } = await knex.raw<{ rows: { paid: string | null }[] }>(
    `SELECT sum(CASE WHEN e.kind = 'payout' THEN e.amount ELSE -e.amount END)::text AS paid
       FROM journal_entries e JOIN payout_items i ON i.id = e.payout_item_id
      WHERE e.case_id = ? AND e.kind IN ('payout','payout_return') AND i.kind = 'execution_fee' AND e.effective_on <= ?::date`,
    [caseId, asOf],
  );
  return moneyFromDb(rows[0]?.paid ?? "0");
}
