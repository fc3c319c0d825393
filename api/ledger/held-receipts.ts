/**
 * The one home of two rules that the case page, the held-funds report and the disbursement
 * report's timeliness all rest on:
 *
 * - payouts use up a case's receipts oldest first (receivedOn, then entry order), reversed
 *   receipts left out — `liveReceiptsSql` gives each receipt with its running total in that order;
 * - what is still held of receipt i on a date is clamp(running_i − disbursed by then, 0, amount_i),
 *   and it is overdue after its disburseBy unless an approved deferral covers that date —
 *   `heldReceiptsSql`.
 *
 * Both are SQL text with named bindings, so that each query plans as one statement.
 */

/** Receipts that count, with their running total in the order payouts use them up. */
export function liveReceiptsSql(where: string): string {
  return `SELECT r.id, r.court_id, r.case_id, r.amount, r.received_on, r.disburse_by,
                 coalesce(r.statutory_disburse_by, r.disburse_by) AS statutory_disburse_by, r.local_disburse_by,
                 sum(r.amount) OVER (PARTITION BY r.case_id ORDER BY r.received_on, r.created_at, r.id) AS running
            FROM receipts r
           WHERE ${where}
             AND NOT EXISTS (SELECT 1 FROM receipt_reversals v WHERE v.receipt_id = r.id)`;
}

export type HeldScope = "courts" | "cases";

/**
 * An approved deferral `d` covers `:asOf` (issue 14): from the day it was requested, never earlier
 * days, to its `until`; once it ended, to its `pay_by` (endedOn + 10 days) instead.
 */
export const DEFERRAL_COVERS_SQL = `d.requested_on <= :asOf::date AND :asOf::date <= CASE WHEN d.ended_on IS NULL THEN d.until ELSE d.pay_by END`;

/**
 * What is still held of each receipt on `:asOf`, with `:courtIds` or `:caseIds` naming the scope:
 * receipts received by then, less what was paid out by then (net of returns by then), oldest
 * receipts used up first. Overdue: still held after disburseBy (the earlier of the statutory and
 * the local deadline), unless an approved deferral covers asOf; overdue against the statutory 30
 * days: the same after the statutory deadline (issue 14 item 6: both are counted). Columns:
 * receipt_id, court_id, case_id, received_on, disburse_by, statutory_disburse_by,
 * local_disburse_by, still_held, age_days, days_overdue, days_overdue_statutory, is_overdue,
 * is_overdue_statutory.
 */
export function heldReceiptsSql(scope: HeldScope): string {
  const inScope = (alias: string) => (scope === "courts" ? `${alias}.court_id = ANY(:courtIds::uuid[])` : `${alias}.case_id = ANY(:caseIds::uuid[])`);
  return `
    WITH rec AS (${liveReceiptsSql(`${inScope("r")} AND r.received_on <= :asOf::date`)}),
    paid AS (
      SELECT e.case_id, sum(CASE WHEN e.kind = 'payout' THEN e.amount ELSE -e.amount END) AS disbursed
        FROM journal_entries e
       WHERE ${inScope("e")} AND e.kind IN ('payout', 'payout_return') AND e.effective_on <= :asOf::date
       GROUP BY e.case_id
    ),
    covered AS (
      SELECT DISTINCT d.case_id FROM deferrals d
       WHERE ${inScope("d")} AND d.status = 'approved' AND ${DEFERRAL_COVERS_SQL}
    )
    SELECT rec.id AS receipt_id, rec.court_id, rec.case_id, rec.received_on, rec.disburse_by,
           rec.statutory_disburse_by, rec.local_disburse_by,
           greatest(0, least(rec.amount, rec.running - coalesce(p.disbursed, 0))) AS still_held,
           :asOf::date - rec.received_on AS age_days,
           :asOf::date - rec.disburse_by AS days_overdue,
           :asOf::date - rec.statutory_disburse_by AS days_overdue_statutory,
           (rec.disburse_by < :asOf::date AND cov.case_id IS NULL) AS is_overdue,
           (rec.statutory_disburse_by < :asOf::date AND cov.case_id IS NULL) AS is_overdue_statutory
      FROM rec LEFT JOIN paid p ON p.case_id = rec.case_id
      LEFT JOIN covered cov ON cov.case_id = rec.case_id`;
}
