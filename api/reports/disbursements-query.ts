import type { Knex } from "knex";
import { liveReceiptsSql } from "../ledger/held-receipts";

/**
 * The payouts a disbursement report counts, with how long their money was held:
 *
 * - a payout counts in the period of its paidOn (inclusive), unless the bank returned it on or
 *   before the period's last day (net of returns; a return never reduces another period);
 * - a refund (退款, a payout item of kind `refund`) and the execution fee paid to the court's fee
 *   account (kind `execution_fee`, issue 14) are not disbursements and are not counted; in FIFO
 *   an earlier period's refund still uses up receipts, a refund in the period is left off the line
 *   (the applicants' payouts beside it are then taken from older money: days held err long, not short);
 * - days held: first-in-first-out over the case's receipts (reversed ones left out) and its
 *   unreturned payouts in paidOn order, a payout's money comes first from the oldest receipt not
 *   yet used up; days held = paidOn − that receipt's receivedOn.
 *
 * FIFO is one sort: receipts and payouts of the period's cases are placed on one line by their
 * running totals, and each payout takes the receivedOn of the last receipt starting at or before
 * its own start (a running max, since receipts are in receivedOn order).
 */
export function periodPayoutsSql(): string {
  return `
    WITH returned AS MATERIALIZED (
      -- Transfers the bank sent back by the period's end: few, so one hash for every check below.
      SELECT x.payout_item_id
        FROM journal_entries x
       WHERE x.kind = 'payout_return' AND x.court_id = ANY(:courtIds::uuid[]) AND x.effective_on <= :to::date
    ),
    period_payouts AS (
      SELECT e.seq, e.court_id, e.case_id, e.payout_item_id, e.effective_on AS paid_on, e.amount
        FROM journal_entries e
       WHERE e.kind = 'payout'
         AND e.court_id = ANY(:courtIds::uuid[])
         AND e.effective_on BETWEEN :from::date AND :to::date
         AND NOT EXISTS (SELECT 1 FROM returned x WHERE x.payout_item_id = e.payout_item_id)
         -- Money disbursed is money paid to whom the case owes it: a refund to a debtor or a payer
         -- (issue 13) is not, nor the execution fee paid to the court's fee account (issue 14).
         -- Earlier refunds and fees still count in paid_before, since they used up receipts.
         AND NOT EXISTS (SELECT 1 FROM payout_items pi WHERE pi.id = e.payout_item_id AND pi.kind IN ('refund', 'execution_fee'))
    ),
    period_cases AS (
      SELECT DISTINCT case_id FROM period_payouts
    ),
    -- Earlier payouts matter only through their sum: they all come before the period's in FIFO order.
    paid_before AS (
      SELECT e.case_id, sum(e.amount) AS amount
        FROM journal_entries e
       WHERE e.kind = 'payout'
         AND e.court_id = ANY(:courtIds::uuid[])
         AND e.effective_on < :from::date
         AND e.case_id IN (SELECT case_id FROM period_cases)
         AND NOT EXISTS (SELECT 1 FROM returned x WHERE x.payout_item_id = e.payout_item_id)
       GROUP BY e.case_id
    ),
    receipts_ranked AS (
      SELECT r.*, row_number() OVER (PARTITION BY r.case_id ORDER BY r.running) AS rn
        FROM (${liveReceiptsSql("r.court_id = ANY(:courtIds::uuid[]) AND r.case_id IN (SELECT case_id FROM period_cases)")}) r
    ),
    line AS (
      SELECT r.case_id, r.running - r.amount AS start_at, 0 AS ord, r.rn, NULL::bigint AS seq
        FROM receipts_ranked r
      UNION ALL
      SELECT p.case_id, coalesce(b.amount, 0) + sum(p.amount) OVER w - p.amount, 1, NULL::bigint, p.seq
        FROM period_payouts p LEFT JOIN paid_before b ON b.case_id = p.case_id
      WINDOW w AS (PARTITION BY p.case_id ORDER BY p.paid_on, p.seq)
    ),
    funded AS (
      SELECT seq, case_id, max(rn) OVER (PARTITION BY case_id ORDER BY start_at, ord ROWS UNBOUNDED PRECEDING) AS funded_rn
        FROM line
    )
    SELECT p.seq, p.court_id, p.case_id, p.payout_item_id, p.paid_on, p.amount,
           r.received_on AS funded_from, greatest(0, p.paid_on - r.received_on) AS days_held,
           r.statutory_disburse_by, r.local_disburse_by,
           -- Issue 14: late against the statutory 30 days, and whether a deferral made that lawful: one
           -- approved, requested by that deadline, still covering the day it was paid (DEFERRAL_COVERS_SQL).
           (p.paid_on > r.statutory_disburse_by) AS late_statutory,
           (p.paid_on > r.statutory_disburse_by AND EXISTS (
              SELECT 1 FROM deferrals d
               WHERE d.court_id = p.court_id AND d.case_id = p.case_id AND d.status = 'approved'
                 AND d.requested_on <= r.statutory_disburse_by
                 AND p.paid_on <= CASE WHEN d.ended_on IS NULL THEN d.until ELSE d.pay_by END)) AS late_covered,
           (r.local_disburse_by IS NOT NULL) AS has_local,
           (p.paid_on > r.local_disburse_by) AS late_local
      FROM period_payouts p
      JOIN funded f ON f.seq = p.seq
      LEFT JOIN receipts_ranked r ON r.case_id = f.case_id AND r.rn = f.funded_rn`;
}

export type PeriodParams = {
  courtIds: string[];
  from: string;
  to: string;
};

export interface FigureRow {
  g_court: number;
  g_month: number;
  court_id: string | null;
  month: string | null;
  cases: string;
  payouts: string;
  total: string | null;
  median_days: string | null;
  p90_days: string | null;
  within30: string;
  over30: string;
  over30_covered: string;
  over30_without_cause: string;
  local_payouts: string;
  within_local: string;
  over_local: string;
  over_local_only: string;
}

/** Totals overall, by court and by month, in one pass over the period's payouts. */
export async function disbursementFigures(knex: Knex, p: PeriodParams): Promise<FigureRow[]> {
  const { rows } = await knex.raw<{ rows: FigureRow[] }>(
    `WITH detail AS (${periodPayoutsSql()})
     SELECT GROUPING(court_id) AS g_court, GROUPING(month) AS g_month, court_id, month,
            count(DISTINCT case_id) AS cases, count(*) AS payouts, sum(amount)::text AS total,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY days_held)::text AS median_days,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY days_held)::text AS p90_days,
            count(*) FILTER (WHERE days_held <= 30) AS within30,
            count(*) FILTER (WHERE days_held > 30) AS over30,
            count(*) FILTER (WHERE late_statutory AND late_covered) AS over30_covered,
            count(*) FILTER (WHERE late_statutory AND NOT late_covered) AS over30_without_cause,
            count(*) FILTER (WHERE has_local) AS local_payouts,
            count(*) FILTER (WHERE has_local AND NOT late_local) AS within_local,
            count(*) FILTER (WHERE has_local AND late_local) AS over_local,
            count(*) FILTER (WHERE has_local AND late_local AND NOT late_statutory) AS over_local_only
       FROM (SELECT *, to_char(paid_on, 'YYYY-MM') AS month FROM detail) d
      GROUP BY GROUPING SETS ((court_id), (month), ())`,
    p,
  );
  return rows;
}

export interface DetailRow {
  payout_item_id: string;
  court_code: string;
  case_number: string;
  payee_name: string | null;
  payee_account_number: string | null;
  payee_account_name: string | null;
  payee_bank_name: string | null;
  party_id: string;
  bank_reference: string | null;
  amount: string;
  paid_on: string;
  batch_id: string;
  funded_from: string | null;
  days_held: number | string | null;
}

/** One row per counted payout, for the exports and the proof pack, in paidOn order. */
export function detailSql(): string {
  return `
    WITH detail AS (${periodPayoutsSql()})
    SELECT d.payout_item_id, ct.code AS court_code, cs.case_number, i.payee_name, i.payee_account_number,
           i.payee_account_name, i.payee_bank_name, i.party_id, i.bank_reference,
           d.amount::text AS amount, d.paid_on::text AS paid_on, i.batch_id, d.funded_from::text AS funded_from, d.days_held
      FROM detail d
      JOIN payout_items i ON i.id = d.payout_item_id
      JOIN cases cs ON cs.id = d.case_id
      JOIN courts ct ON ct.id = d.court_id
     ORDER BY d.paid_on, d.seq`;
}

export interface ReturnRow {
  payout_item_id: string;
  court_code: string;
  case_number: string;
  batch_id: string;
  amount: string;
  paid_on: string;
  returned_on: string;
  return_reason: string | null;
}

/**
 * The returns (退汇) the report nets out: of payouts paid in the period (refunds aside, as in
 * periodPayoutsSql), returned by the bank on or before the period's last day.
 */
export function periodReturnsSql(): string {
  return `
    SELECT x.payout_item_id, ct.code AS court_code, cs.case_number, i.batch_id, x.amount::text AS amount,
           p.effective_on::text AS paid_on, x.effective_on::text AS returned_on, i.return_reason
      FROM journal_entries x
      JOIN journal_entries p ON p.payout_item_id = x.payout_item_id AND p.kind = 'payout'
      JOIN payout_items i ON i.id = x.payout_item_id
      JOIN cases cs ON cs.id = x.case_id
      JOIN courts ct ON ct.id = x.court_id
     WHERE x.kind = 'payout_return'
       AND x.court_id = ANY(:courtIds::uuid[])
       AND x.effective_on <= :to::date
       AND p.effective_on BETWEEN :from::date AND :to::date
       AND i.kind <> 'refund'
     ORDER BY x.payout_item_id`;
}
