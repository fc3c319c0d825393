import type { Knex } from "knex";
import { moneyFromDb, type Money } from "../core/money";
import type { EntryKind } from "./postings";

export interface LedgerLine {
  seq: string;
  id: string;
  kind: Exclude<EntryKind, "unidentified_in" | "unidentified_out">; // a case's entries
  amount: string;
  effective_on: string;
  receipt_id: string | null;
  payout_item_id: string | null;
  memo: string | null;
  created_at: Date;
  created_by: string;
  balance_after: string;
}

/** A case's entries in journal order, each with the held balance after it (a running sum). */
export async function caseLedger(knex: Knex, opts: { courtId: string; caseId: string; afterSeq: string | null; limit: number }): Promise<LedgerLine[]> {
  const { rows } = await knex.raw<{ rows: LedgerLine[] }>(
    `SELECT * FROM (
       SELECT e.seq, e.id, e.kind, e.amount, e.effective_on, e.receipt_id, e.payout_item_id, e.memo, e.created_at, e.created_by,
              sum(CASE WHEN e.kind IN ('receipt', 'payout_return') THEN e.amount ELSE -e.amount END)
                OVER (ORDER BY e.seq) AS balance_after
         FROM journal_entries e
        WHERE e.court_id = ? AND e.case_id = ?
     ) x
     WHERE x.seq > ?
     ORDER BY x.seq
     LIMIT ?`,
    [opts.courtId, opts.caseId, opts.afterSeq ?? "0", opts.limit + 1],
  );
  return rows;
}

/** The court's bank account per the journal, and the sum of its cases' balance rows. */
export async function courtReconciliation(knex: Knex, courtId: string): Promise<{ bank: Money; cases: Money; caseCount: number }> {
  const { rows } = await knex.raw<{ rows: { bank: string | null; cases: string | null; case_count: string }[] }>(
    `SELECT (SELECT sum(amount) FROM journal_lines WHERE court_id = ? AND account = 'court_bank')::text AS bank,
            (SELECT sum(held) FROM case_balances WHERE court_id = ?)::text AS cases,
            (SELECT count(*) FROM case_balances WHERE court_id = ?) AS case_count`,
    [courtId, courtId, courtId],
  );
  return { bank: moneyFromDb(rows[0].bank ?? "0"), cases: moneyFromDb(rows[0].cases ?? "0"), caseCount: Number(rows[0].case_count) };
}

/** The journal's three accounts of a court, entries effective on or before a date (debit positive; held and unclaimed shown positive). */
export async function accountTotals(knex: Knex, courtId: string, asOf: string): Promise<{ bank: Money; cases: Money; unidentified: Money }> {
  const { rows } = await knex.raw<{ rows: { account: string; total: string }[] }>(
    `SELECT l.account, sum(l.amount)::text AS total
       FROM journal_lines l JOIN journal_entries e ON e.seq = l.entry_seq
      WHERE l.court_id = ? AND e.effective_on <= ?
      GROUP BY l.account`,
    [courtId, asOf],
  );
  const by = (a: string) => moneyFromDb(rows.find((r) => r.account === a)?.total ?? "0");
  return { bank: by("court_bank"), cases: by("case_held").neg(), unidentified: by("unidentified").neg() };
}

export interface StatementHead {
  id: string;
  period_to: string;
  closing_balance: string | null;
  first_from: string | null;
}

/** The latest statement covering a day up to asOf, and the first day any statement covers. */
export async function latestStatement(knex: Knex, courtId: string, asOf: string): Promise<StatementHead | undefined> {
  const row = await knex("bank_statements")
    .where({ court_id: courtId })
    .where("period_to", "<=", asOf)
    .whereNotNull("closing_balance")
    .orderBy([{ column: "period_to", order: "desc" }, { column: "imported_at", order: "desc" }])
    .first<{ id: string; period_to: string; closing_balance: string | null } | undefined>("id", "period_to", "closing_balance");
  if (!row) return undefined;
  const first = await knex("bank_statements").where({ court_id: courtId }).min<{ min: string | null }>("period_from as min").first();
  return { ...row, first_from: first?.min ?? null };
}

/** Bank movements in the ledger from the first statement's day to asOf that no statement line has shown. */
export async function unclearedLedger(knex: Knex, courtId: string, from: string, asOf: string) {
  const { rows } = await knex.raw<{ rows: { id: string; kind: string; case_id: string | null; amount: string; signed: string; effective_on: string }[] }>(
    `SELECT e.id, e.kind, e.case_id, e.amount, l.amount AS signed, e.effective_on
       FROM journal_entries e JOIN journal_lines l ON l.entry_seq = e.seq AND l.account = 'court_bank'
      WHERE e.court_id = ? AND e.effective_on BETWEEN ? AND ?
        AND NOT (e.receipt_id IS NOT NULL AND e.kind = 'receipt' AND EXISTS (SELECT 1 FROM bank_statement_lines s WHERE s.receipt_id = e.receipt_id))
        AND NOT (e.kind = 'payout' AND EXISTS (SELECT 1 FROM bank_statement_lines s WHERE s.payout_item_id = e.payout_item_id))
        AND e.kind <> 'unidentified_in'
        -- a transfer (调账) moves money between two cases: the bank saw nothing of it
        AND NOT EXISTS (SELECT 1 FROM receipt_transfers t WHERE t.status = 'approved'
                         AND ((e.kind = 'receipt_reversal' AND t.receipt_id = e.receipt_id) OR (e.kind = 'receipt' AND t.new_receipt_id = e.receipt_id)))
      ORDER BY e.effective_on, e.seq
      LIMIT 200`,
    [courtId, from, asOf],
  );
  return rows.map((r) => ({ ...r, amount: moneyFromDb(r.amount), signed: moneyFromDb(r.signed) }));
}

/** Statement lines up to asOf that are not in the ledger: debits no payout item matched. */
export async function unclearedStatementLines(knex: Knex, courtId: string, asOf: string) {
  const rows = await knex("bank_statement_lines").where({ court_id: courtId, outcome: "unmatched_debit" }).where("value_date", "<=", asOf).orderBy([{ column: "value_date" }, { column: "line_no" }]).limit(200);
  return rows.map(toStatementLineView);
}

function toStatementLineView(l: Record<string, string | number | null>) {
  const masked = (s: string | null) => (s ? (s.length <= 8 ? "****" : `${s.slice(0, 4)}****${s.slice(-4)}`) : null);
  const money = (s: string | number | null) => (s === null ? null : moneyFromDb(String(s)).toFixed(2));
  return {
    id: l.id as string,
    statementId: l.statement_id as string,
    lineNo: Number(l.line_no),
    valueDate: l.value_date as string,
    direction: l.direction as "credit" | "debit",
    amount: money(l.amount) as string,
    balanceAfter: money(l.balance_after),
    counterpartyName: (l.counterparty_name as string | null) ?? null,
    counterpartyAccountMasked: masked(l.counterparty_account as string | null),
    remark: (l.remark as string | null) ?? null,
    bankReference: (l.bank_reference as string | null) ?? null,
    virtualAccount: (l.virtual_account as string | null) ?? null,
    outcome: l.outcome as "receipt" | "already_recorded" | "unidentified" | "payout" | "unmatched_debit",
    caseId: (l.case_id as string | null) ?? null,
    receiptId: (l.receipt_id as string | null) ?? null,
    unidentifiedFundId: (l.unidentified_fund_id as string | null) ?? null,
    payoutItemId: (l.payout_item_id as string | null) ?? null,
  };
}
