import { heldReceiptsSql } from "../ledger/held-receipts";

/**
 * The red flags' queries (issue 15), one set-based statement per kind, each scoped to
 * `:courtIds` and to the period `:from`–`:to` on the date that matters for that kind. Rows carry
 * what the explanation and the links need; the service (red-flags.ts) words them.
 */

/** A payout within this many days after an approved change of the payee's bank account is a flag. */
export const ACCOUNT_CHANGE_WINDOW_DAYS = 30;
/** A batch approved less than this many minutes after it was submitted is a flag (rubber-stamping). */
export const QUICK_APPROVAL_MINUTES = 10;

/** A business date (China time) of a timestamp column. */
const chinaDate = (col: string) => `(${col} AT TIME ZONE 'Asia/Shanghai')::date`;

/** Paid transfers (also those the bank later returned) of executed batches paid in the period; `joins` adds tables. */
const paidItems = (joins = "") => `
  FROM payout_items i
  JOIN payout_batches b ON b.id = i.batch_id AND b.court_id = i.court_id
  ${joins}
 WHERE i.court_id = ANY(:courtIds::uuid[])
   AND b.status = 'executed' AND i.status IN ('paid', 'returned')
   AND b.paid_on BETWEEN :from::date AND :to::date`;

export interface AccountChangeRow {
  court_id: string;
  item_id: string;
  batch_id: string;
  case_id: string;
  party_id: string;
  paid_on: string;
  amount: string;
  changed_on: string;
  requested_by: string;
  approved_by: string;
}

/** Payouts paid on or within 30 days after an approved change of the paid party's bank account. */
export const ACCOUNT_CHANGE_SQL = `
  SELECT DISTINCT ON (i.id) i.court_id, i.id AS item_id, i.batch_id, i.case_id, i.party_id, b.paid_on::text AS paid_on,
         i.amount::text AS amount, ${chinaDate("ch.approved_at")}::text AS changed_on, ch.requested_by, ch.approved_by
  ${paidItems(`JOIN bank_account_changes ch ON ch.court_id = i.court_id AND ch.party_id = i.party_id AND ch.status = 'approved'`)}
   AND i.agent_id IS NULL
   AND ${chinaDate("ch.approved_at")} BETWEEN b.paid_on - ${ACCOUNT_CHANGE_WINDOW_DAYS} AND b.paid_on
 ORDER BY i.id, ch.approved_at DESC`;

export interface NameMismatchRow {
  court_id: string;
  item_id: string;
  batch_id: string;
  case_id: string;
  party_id: string;
  paid_on: string;
  amount: string;
  payee_name: string;
  payee_account_name: string;
}

/**
 * Candidates for the name check: paid items whose account name is not literally the payee's. The
 * check itself (full-width forms, blanks, case) is api/payouts/name-check.ts's, applied to these rows.
 */
export const NAME_MISMATCH_SQL = `
  SELECT i.court_id, i.id AS item_id, i.batch_id, i.case_id, i.party_id, b.paid_on::text AS paid_on, i.amount::text AS amount,
         i.payee_name, i.payee_account_name
  ${paidItems()}
   AND i.payee_name IS DISTINCT FROM i.payee_account_name
 ORDER BY b.paid_on, i.id`;

export interface UnentitledRow {
  court_id: string;
  item_id: string;
  batch_id: string;
  case_id: string;
  party_id: string;
  paid_on: string;
  amount: string;
  kind: string;
  party_role: string;
  agent_id: string | null;
  agent_entitled: boolean | null;
}

/**
 * Payouts to anyone but an applicant or its approved agent with special authority to collect. The
 * lawful kinds besides: a refund (退款) to a debtor, and the court's execution fee.
 */
export const UNENTITLED_SQL = `
  SELECT i.court_id, i.id AS item_id, i.batch_id, i.case_id, i.party_id, b.paid_on::text AS paid_on, i.amount::text AS amount,
         i.kind, p.role AS party_role, i.agent_id,
         (a.id IS NOT NULL AND a.status = 'approved' AND a.special_authority AND a.party_id = i.party_id) AS agent_entitled
  ${paidItems(`JOIN parties p ON p.id = i.party_id LEFT JOIN party_agents a ON a.id = i.agent_id`)}
   AND i.kind <> 'execution_fee'
   AND (NOT ((i.kind = 'applicant' AND p.role = 'applicant') OR (i.kind = 'refund' AND p.role = 'debtor'))
        OR (i.agent_id IS NOT NULL AND NOT (a.id IS NOT NULL AND a.status = 'approved' AND a.special_authority AND a.party_id = i.party_id)))
 ORDER BY b.paid_on, i.id`;

export interface OverdueHeldRow {
  court_id: string;
  case_id: string;
  receipt_id: string;
  received_on: string;
  disburse_by: string;
  still_held: string;
  days_overdue: number | string;
}

/**
 * Money still held and overdue on `:asOf` (the period's last day, or today if earlier): the
 * held-funds rule, from its one home (api/ledger/held-receipts.ts), deferrals included.
 */
export const OVERDUE_HELD_SQL = `
  WITH held AS (${heldReceiptsSql("courts")})
  SELECT h.court_id, h.case_id, h.receipt_id, h.received_on::text AS received_on, h.disburse_by::text AS disburse_by,
         h.still_held::text AS still_held, h.days_overdue
    FROM held h
   WHERE h.still_held > 0 AND h.is_overdue
   ORDER BY h.disburse_by, h.receipt_id`;

export interface SelfReversalRow {
  court_id: string;
  receipt_id: string;
  case_id: string;
  reversed_on: string;
  amount: string;
  user_id: string;
}

/** Receipts reversed, in the period, by the person who recorded them. */
export const SELF_REVERSAL_SQL = `
  SELECT v.court_id, v.receipt_id, v.case_id, v.reversed_on::text AS reversed_on, r.amount::text AS amount, v.created_by AS user_id
    FROM receipt_reversals v
    JOIN receipts r ON r.id = v.receipt_id
   WHERE v.court_id = ANY(:courtIds::uuid[])
     AND v.reversed_on BETWEEN :from::date AND :to::date
     AND v.created_by = r.created_by
   ORDER BY v.reversed_on, v.receipt_id`;

export interface QuickApprovalRow {
  court_id: string;
  batch_id: string;
  approved_on: string;
  minutes: string;
  submitted_by: string;
  approved_by: string;
  total_amount: string;
}

/** Batches approved (finally) less than QUICK_APPROVAL_MINUTES after their submission, approved in the period. */
export const QUICK_APPROVAL_SQL = `
  SELECT b.court_id, b.id AS batch_id, ${chinaDate("b.approved_at")}::text AS approved_on,
         round(extract(epoch FROM (b.approved_at - b.submitted_at)) / 60, 1)::text AS minutes,
         b.submitted_by, b.approved_by, b.total_amount::text AS total_amount
    FROM payout_batches b
   WHERE b.court_id = ANY(:courtIds::uuid[])
     AND b.approved_at IS NOT NULL AND b.submitted_at IS NOT NULL
     AND b.approved_at >= (:from::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
     AND b.approved_at < (:to::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
     AND b.approved_at - b.submitted_at < make_interval(mins => ${QUICK_APPROVAL_MINUTES})
   ORDER BY b.approved_at, b.id`;
