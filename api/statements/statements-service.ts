import crypto from "node:crypto";
import { maskAccountNumber } from "../cases/masking";
import { assertCourtAccess } from "../core/court-scope";
import { conflict, notFound } from "../core/errors";
import { formatMoney } from "../core/money";
import type { ReadContext, WriteContext } from "../core/operation";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import type { ColumnMapping } from "./column-mapping";
import { statementsStore, type StatementLineRow } from "./statements-store";

export function toStatementLine(l: StatementLineRow): Schemas["StatementLine"] {
  return {
    id: l.id,
    statementId: l.statement_id,
    lineNo: l.line_no,
    valueDate: l.value_date,
    direction: l.direction,
    amount: formatMoney(l.amount),
    balanceAfter: l.balance_after === null ? null : formatMoney(l.balance_after),
    counterpartyName: l.counterparty_name,
    counterpartyAccountMasked: l.counterparty_account ? maskAccountNumber(l.counterparty_account) : null,
    remark: l.remark,
    bankReference: l.bank_reference,
    virtualAccount: l.virtual_account,
    outcome: l.outcome,
    caseId: l.case_id,
    receiptId: l.receipt_id,
    unidentifiedFundId: l.unidentified_fund_id,
    payoutItemId: l.payout_item_id,
  };
}

export async function listStatementLines(ctx: ReadContext, id: string, page: { limit: number; cursor?: string }): Promise<Page<Schemas["StatementLine"]>> {
  const s = await statementsStore.find(ctx.db, id);
  if (!s) throw notFound("The bank statement");
  assertCourtAccess(ctx.actor, s.court_id, "The bank statement");
  const after = decodeCursor(page.cursor, ["integer"]);
  const rows = await statementsStore.linesOf(ctx.db, id, after ? Number(after[0]) : 0, page.limit);
  return toPage(rows, page.limit, (r) => [r.line_no], toStatementLine);
}

export async function createMapping(ctx: WriteContext, input: { courtId: string; mapping: ColumnMapping }): Promise<Schemas["StatementMapping"]> {
  assertCourtAccess(ctx.actor, input.courtId, "The court");
  const row = await statementsStore.insertMapping(ctx.db, { id: crypto.randomUUID(), court_id: input.courtId, name: input.mapping.name, mapping: input.mapping, created_by: ctx.actor.id });
  if (!row) throw conflict(`The court already has a mapping named ${input.mapping.name}`);
  ctx.audit.record({ action: "bank_statement_mapping.created", entityType: "bank_statement_mapping", entityId: row.id, courtId: input.courtId, data: { name: row.name, mapping: input.mapping } });
  return { id: row.id, courtId: row.court_id, name: row.name, mapping: input.mapping as unknown as Record<string, never>, createdAt: row.created_at.toISOString(), createdBy: row.created_by };
}
