import type { Knex } from "knex";
import { AppError } from "../core/errors";
import { formatMoney, moneyFromDb, MoneyDecimal, ZERO, type Money } from "../core/money";
import { feeHeldBack } from "./fee-items";

/**
 * Refunds (退款, issue 13) pay back only money a case does not owe its applicants: of what it
 * holds, what still has to go to the applicants (the adjudicated amount less what they were paid)
 * stays, and so does what other pending batches reserved for refunds, and (issue 14) the money
 * that paid a charged execution fee not yet sent to the fee account. Checked when a batch is
 * made and again at submit, under the balance lock.
 */
export async function checkRefundable(knex: Knex, items: { caseId: string; amount: Money; kind: string }[], opts: { exceptBatchId: string | null; courtId: string }): Promise<void> {
  const requested = new Map<string, Money>();
  for (const i of items) if (i.kind === "refund") requested.set(i.caseId, (requested.get(i.caseId) ?? ZERO).plus(i.amount));
  if (requested.size === 0) return;
  const ids = [...requested.keys()].sort();
  // Issue 14: where the court charges the execution fee, the money that paid it stays for the fee
  // account too (less what this batch's own fee items pay it).
  const feeHold = await feeHeldBack(knex, opts.courtId, ids, { exceptBatchId: opts.exceptBatchId });
  const feeInBatch = new Map<string, Money>();
  for (const i of items) if (i.kind === "execution_fee") feeInBatch.set(i.caseId, (feeInBatch.get(i.caseId) ?? ZERO).plus(i.amount));
  const { rows } = await knex.raw<{ rows: { case_id: string; held: string; adjudicated: string; paid_to_applicants: string; other_refunds: string }[] }>(
    `SELECT b.case_id, b.held, c.adjudicated_amount AS adjudicated,
            COALESCE((SELECT sum(CASE WHEN e.kind = 'payout' THEN e.amount ELSE -e.amount END)
                        FROM journal_entries e JOIN payout_items i ON i.id = e.payout_item_id
                       WHERE e.case_id = b.case_id AND e.kind IN ('payout','payout_return') AND i.kind = 'applicant'), 0) AS paid_to_applicants,
            COALESCE((SELECT sum(i.amount) FROM payout_items i JOIN payout_batches pb ON pb.id = i.batch_id
                       WHERE i.case_id = b.case_id AND i.kind = 'refund' AND pb.status IN ('submitted','approved')
                         AND pb.id IS DISTINCT FROM ?::uuid), 0) AS other_refunds
       FROM case_balances b JOIN cases c ON c.id = b.case_id
      WHERE b.case_id = ANY(?::uuid[])
      ORDER BY b.case_id`,
    [opts.exceptBatchId, ids],
  );
  const short: { caseId: string; available: string; requested: string }[] = [];
  for (const r of rows) {
    const owed = MoneyDecimal.max(ZERO, moneyFromDb(r.adjudicated).minus(moneyFromDb(r.paid_to_applicants)));
    const keptForFee = MoneyDecimal.max(ZERO, (feeHold.get(r.case_id) ?? ZERO).minus(feeInBatch.get(r.case_id) ?? ZERO));
    const refundable = MoneyDecimal.max(ZERO, moneyFromDb(r.held).minus(owed).minus(moneyFromDb(r.other_refunds)).minus(keptForFee));
    const asked = requested.get(r.case_id) ?? ZERO;
    if (asked.gt(refundable)) short.push({ caseId: r.case_id, available: formatMoney(refundable), requested: formatMoney(asked) });
  }
  if (short.length > 0) {
    throw new AppError("insufficient_funds", `${short.length} case(s) would refund money still owed to their applicants: a refund pays only a surplus, a mistaken payment or an unclaimed amount`, { cases: short });
  }
}
