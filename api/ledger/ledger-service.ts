import { assertCourtAccess } from "../core/court-scope";
import { formatMoney } from "../core/money";
import type { ReadContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { courtReconciliation } from "./ledger-queries";

/** The court's bank account per the journal against the sum of its cases' held balances. */
export async function getReconciliation(ctx: ReadContext, courtId: string): Promise<Schemas["Reconciliation"]> {
  assertCourtAccess(ctx.actor, courtId, "The court");
  const r = await courtReconciliation(ctx.db, courtId);
  return {
    courtId,
    bankBalance: formatMoney(r.bank),
    caseBalancesTotal: formatMoney(r.cases),
    difference: formatMoney(r.bank.minus(r.cases)),
    cases: r.caseCount,
    asOf: ctx.now.toISOString(),
  };
}
