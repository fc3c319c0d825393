import type { Knex } from "knex";
import { moneyFromDb, type Money } from "../core/money";
import type { EntryKind } from "./postings";

export interface LedgerLine {
  seq: string;
  id: string;
  kind: EntryKind;
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
