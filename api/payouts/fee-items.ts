import type { Knex } from "knex";
import { courtSettings, type CourtSettings } from "../courts/court-settings";
import { invalidState, type FieldError } from "../core/errors";
import { formatMoney, moneyFromDb, MoneyDecimal, ZERO, type Money } from "../core/money";
import { executionFeeFor } from "../ledger/amount-owed";

/**
 * Execution fee items (issue 14): a batch item of kind `execution_fee` pays a case's execution fee
 * (诉讼费用交纳办法 art. 14 (一), borne by the debtor, art. 38) from the case's proceeds to the
 * court's fee account. Allowed only where the court charges the fee (`chargeExecutionFee`) and has
 * a fee account; never more than the fee still unpaid — the fee less the fee items already paid
 * (net of returns) or reserved by other submitted or approved batches — and, since money received
 * pays the fee first (民诉法解释 art. 508), never more than the part of the receipts that went to
 * the fee. Checked when a batch is made and again at submit, under the balance lock.
 * Answers the fee account the items pay, or null when there are no fee items.
 */
export async function checkFeeItems(
  knex: Knex,
  courtId: string,
  items: { caseId: string; amount: Money; kind: string }[],
  opts: { exceptBatchId: string | null; at: "body.items" | "items" },
): Promise<NonNullable<CourtSettings["feeAccount"]> | null> {
  const fees = items.map((i, position) => ({ ...i, position })).filter((i) => i.kind === "execution_fee");
  if (fees.length === 0) return null;
  const settings = await courtSettings(knex, courtId);
  if (!settings.chargeExecutionFee) {
    throw invalidState("The court does not charge the execution fee (chargeExecutionFee is off in its settings): there is no fee to pay", { reason: "fee_not_charged" });
  }
  if (!settings.feeAccount) {
    throw invalidState("The court has no fee account yet: an admin sets feeAccount in the court's settings", { reason: "no_fee_account" });
  }
  const asked = new Map<string, Money>();
  for (const f of fees) asked.set(f.caseId, (asked.get(f.caseId) ?? ZERO).plus(f.amount));
  const figures = await feeFigures(knex, courtId, [...asked.keys()], opts.exceptBatchId);
  const errors: FieldError[] = [];
  for (const [caseId, { fee, unpaid, covered }] of figures) {
    const want = asked.get(caseId) ?? ZERO;
    if (want.lte(covered)) continue;
    const first = fees.find((f) => f.caseId === caseId);
    const message = want.gt(unpaid)
      ? `the case's execution fee is ${formatMoney(fee)}, of which ${formatMoney(unpaid)} is unpaid; asked ${formatMoney(want)}`
      : `of the unpaid fee ${formatMoney(unpaid)}, only ${formatMoney(covered)} has been received (money pays the fee first); asked ${formatMoney(want)}`;
    errors.push({ path: `${opts.at}.${first?.position ?? 0}.amount`, message });
  }
  if (errors.length > 0) {
    throw invalidState(`${errors.length} case(s) would pay more execution fee than is unpaid and received: see errors`, { reason: "fee_exceeds_unpaid", errors });
  }
  return settings.feeAccount;
}

interface FeeFigures {
  /** The fee by art. 14 (一) on the adjudicated amount. */
  fee: Money;
  /** The fee less fee items paid (net of returns) or reserved by other submitted or approved batches. */
  unpaid: Money;
  /** Of `unpaid`, what the receipts already paid (money pays the fee first): what a fee item may take now. */
  covered: Money;
}

/** Per case, the fee, what of it is unpaid, and what of that the receipts cover; one statement. */
async function feeFigures(knex: Knex, courtId: string, caseIds: string[], exceptBatchId: string | null): Promise<Map<string, FeeFigures>> {
  const result = new Map<string, FeeFigures>();
  if (caseIds.length === 0) return result;
  const ids = [...new Set(caseIds)].sort();
  const { rows } = await knex.raw<{ rows: { case_id: string; adjudicated: string; received: string; fee_paid: string; fee_reserved: string }[] }>(
    `SELECT c.id AS case_id, c.adjudicated_amount AS adjudicated, b.received,
            COALESCE((SELECT sum(CASE WHEN e.kind = 'payout' THEN e.amount ELSE -e.amount END)
                        FROM journal_entries e JOIN payout_items i ON i.id = e.payout_item_id
                       WHERE e.case_id = c.id AND e.kind IN ('payout','payout_return') AND i.kind = 'execution_fee'), 0) AS fee_paid,
            COALESCE((SELECT sum(i.amount) FROM payout_items i JOIN payout_batches pb ON pb.id = i.batch_id
                       WHERE i.case_id = c.id AND i.kind = 'execution_fee' AND pb.status IN ('submitted','approved')
                         AND pb.id IS DISTINCT FROM ?::uuid), 0) AS fee_reserved
       FROM cases c JOIN case_balances b ON b.case_id = c.id
      WHERE c.id = ANY(?::uuid[]) AND c.court_id = ?
      ORDER BY c.id`,
    [exceptBatchId, `{${ids.join(",")}}`, courtId],
  );
  for (const r of rows) {
    const fee = executionFeeFor(moneyFromDb(r.adjudicated));
    const taken = moneyFromDb(r.fee_paid).plus(moneyFromDb(r.fee_reserved));
    const unpaid = MoneyDecimal.max(ZERO, fee.minus(taken));
    const covered = MoneyDecimal.max(ZERO, MoneyDecimal.min(fee, moneyFromDb(r.received)).minus(taken));
    result.set(r.case_id, { fee, unpaid, covered });
  }
  return result;
}

/**
 * The money each case must keep for the fee (民诉法解释 art. 508: "执行所得价款扣除执行费用后"): where
 * the court charges it, the part of the receipts that paid the fee and has not yet gone, or been
 * reserved, to the fee account by another batch. Payouts to applicants and refunds may not take it;
 * the caller subtracts the batch's own fee items. Empty where the court does not charge the fee.
 */
export async function feeHeldBack(knex: Knex, courtId: string, caseIds: string[], opts: { exceptBatchId: string | null }): Promise<Map<string, Money>> {
  if (caseIds.length === 0 || !(await courtSettings(knex, courtId)).chargeExecutionFee) return new Map();
  const figures = await feeFigures(knex, courtId, caseIds, opts.exceptBatchId);
  return new Map([...figures].filter(([, f]) => f.covered.gt(0)).map(([caseId, f]) => [caseId, f.covered]));
}
