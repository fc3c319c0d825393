import { validationFailed } from "../core/errors";
import { formatMoney } from "../core/money";
import type { ReadContext } from "../core/operation";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { caseLedger, type LedgerLine } from "../ledger/ledger-queries";
import { isInflow } from "../ledger/postings";
import { loadCase } from "./cases-service";

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

/** A case's journal entries in order, each with the held balance after it. */
export async function getCaseLedger(ctx: ReadContext, caseId: string, page: { limit: number; cursor?: string }): Promise<Page<Schemas["LedgerEntry"]>> {
  const c = await loadCase(ctx.db, ctx.actor, caseId);
  const after = decodeCursor(page.cursor, ["integer"]);
  if (after && !/^[0-9]{1,18}$/.test(after[0])) throw validationFailed([{ path: "query.cursor", message: "invalid cursor" }]);
  const lines = await caseLedger(ctx.db, { courtId: c.court_id, caseId: c.id, afterSeq: after ? after[0] : null, limit: page.limit });
  return toPage(lines, page.limit, (l) => [l.seq], toLedgerEntry);
}

