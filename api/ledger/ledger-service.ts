import { assertCourtAccess } from "../core/court-scope";
import { validationFailed } from "../core/errors";
import { formatMoney, moneyFromDb } from "../core/money";
import type { ReadContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { accountTotals, courtReconciliation, latestStatement, unclearedLedger, unclearedStatementLines } from "./ledger-queries";

/**
 * Three-way reconciliation (issue 13): the bank's own statement, the ledger's bank account, and
 * what the ledger says the bank holds for whom (cases' held money + unclaimed money). The last
 * two agree by construction (every entry balances); the statement agrees with the ledger up to
 * the uncleared items — money the ledger has and no statement line has shown yet, and statement
 * lines the ledger does not have.
 */
export async function getReconciliation(ctx: ReadContext, courtId: string, asOfDate?: string): Promise<Schemas["Reconciliation"]> {
  assertCourtAccess(ctx.actor, courtId, "The court");
  const asOf = asOfDate ?? ctx.today;
  if (asOf > ctx.today) throw validationFailed([{ path: "query.asOf", message: "must not be in the future" }], "asOf is in the future");
  const totals = await accountTotals(ctx.db, courtId, asOf);
  const r = await courtReconciliation(ctx.db, courtId);
  const statement = await latestStatement(ctx.db, courtId, asOf);
  const bankAtStatement = statement ? (await accountTotals(ctx.db, courtId, statement.period_to)).bank : null;
  const from = statement?.first_from ?? null;
  const ledgerItems = from ? await unclearedLedger(ctx.db, courtId, from, asOf) : [];
  const statementItems = await unclearedStatementLines(ctx.db, courtId, asOf);
  const difference = totals.bank.minus(totals.cases).minus(totals.unidentified);
  return {
    courtId,
    bankBalance: formatMoney(totals.bank),
    caseBalancesTotal: formatMoney(totals.cases),
    unclaimedTotal: formatMoney(totals.unidentified),
    difference: formatMoney(difference),
    ledgerVsCases: formatMoney(difference),
    cases: r.caseCount,
    asOf: ctx.now.toISOString(),
    asOfDate: asOf,
    statement: statement && statement.closing_balance !== null ? { statementId: statement.id, periodTo: statement.period_to, closingBalance: formatMoney(statement.closing_balance) } : null,
    statementVsLedger: statement && statement.closing_balance !== null && bankAtStatement ? formatMoney(moneyFromDb(statement.closing_balance).minus(bankAtStatement)) : null,
    unclearedLedger: ledgerItems.map((e) => ({ entryId: e.id, kind: e.kind, caseId: e.case_id, amount: formatMoney(e.amount), signedAmount: formatMoney(e.signed), effectiveOn: e.effective_on })),
    unclearedStatement: statementItems,
  };
}
