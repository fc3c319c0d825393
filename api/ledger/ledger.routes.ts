import { z } from "zod";
import { loadCase } from "../cases/cases-service";
import { requireRole } from "../http/auth";
import { assertCourtAccess } from "../core/court-scope";
import { actorOf } from "../http/context";
import { validationFailed } from "../core/errors";
import type { FeatureHandlers } from "../http/operations";
import { decodeCursor, pageParams, toPage } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { idParams, parseParams, parseQuery, uuid } from "../http/validate";
import { formatMoney } from "../core/money";
import { caseLedger, courtReconciliation, type LedgerLine } from "./ledger-queries";
import { isInflow } from "./ledger-store";

const ledgerQuery = z.object({ ...pageParams }).strict();
const reconciliationQuery = z.object({ courtId: uuid }).strict();

function toLedgerEntry(l: LedgerLine): Schemas["LedgerEntry"] {
  return {
    seq: l.seq,
    id: l.id,
    kind: l.kind,
    amount: formatMoney(l.amount),
    direction: isInflow(l.kind) ? "in" : "out",
    effectiveOn: l.effective_on,
    balanceAfter: formatMoney(l.balance_after),
    receiptId: l.receipt_id,
    payoutItemId: l.payout_item_id,
    memo: l.memo,
    createdAt: l.created_at.toISOString(),
    createdBy: l.created_by,
  };
}

export const ledgerHandlers: FeatureHandlers<"getCaseLedger" | "getReconciliation"> = {
  async getCaseLedger(req, res) {
    const actor = actorOf(req);
    const { id } = parseParams(req, idParams);
    const query = parseQuery(req, ledgerQuery);
    const knex = req.ctx.db.knex;
    const c = await loadCase(knex, actor, id);
    const after = decodeCursor(query.cursor, 1);
    if (after && !/^[0-9]{1,18}$/.test(after[0])) throw validationFailed([{ path: "query.cursor", message: "invalid cursor" }]);
    const lines = await caseLedger(knex, { courtId: c.court_id, caseId: c.id, afterSeq: after ? after[0] : null, limit: query.limit });
    res.json(toPage(lines, query.limit, (l) => [l.seq], toLedgerEntry));
  },

  async getReconciliation(req, res) {
    const actor = requireRole(req, "finance", "approver", "inspector", "admin");
    const { courtId } = parseQuery(req, reconciliationQuery);
    assertCourtAccess(actor, courtId, "The court");
    const r = await courtReconciliation(req.ctx.db.knex, courtId);
    res.json({
      courtId,
      bankBalance: formatMoney(r.bank),
      caseBalancesTotal: formatMoney(r.cases),
      difference: formatMoney(r.bank.minus(r.cases)),
      cases: r.caseCount,
      asOf: new Date().toISOString(),
    });
  },
};
