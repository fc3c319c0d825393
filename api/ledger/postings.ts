import assert from "node:assert/strict";
import crypto from "node:crypto";
import type { Knex } from "knex";
import { bulkInsert } from "../../db/bulk-insert";
import { heldReceiptsSql } from "./held-receipts";
import { moneyFromDb, moneyToDb, sumMoney, ZERO, type Money } from "../core/money";

export type EntryKind = "receipt" | "receipt_reversal" | "payout" | "payout_return" | "unidentified_in" | "unidentified_out";

/** The journal's accounts: the bank, a case's held money, and money in the bank no case has claimed yet. */
export type Account = "court_bank" | "case_held" | "unidentified";

export interface EntryInput {
  kind: EntryKind;
  courtId: string;
  /** null only for unidentified money (kinds unidentified_in / unidentified_out). */
  caseId: string | null;
  amount: Money;
  effectiveOn: string;
  /**
   * The account on the other side of the case (or of `unidentified`): the bank by default; a claim
   * of unidentified money is a receipt from `unidentified`, since the money was in the bank already.
   */
  counterAccount?: "court_bank" | "unidentified";
  unidentifiedFundId?: string | null;
  receiptId?: string | null;
  payoutItemId?: string | null;
  memo?: string | null;
  createdBy: string;
}

export interface BalanceRow {
  case_id: string;
  court_id: string;
  received: string;
  disbursed: string;
  held: string;
  reserved: string;
  first_received_on: string | null;
  fully_performed_on: string | null;
}

/** How each kind of entry moves a case's received and disbursed figures (held = received − disbursed). */
const EFFECT: Record<EntryKind, { received: 1 | -1 | 0; disbursed: 1 | -1 | 0 }> = {
  receipt: { received: 1, disbursed: 0 },
  receipt_reversal: { received: -1, disbursed: 0 },
  payout: { received: 0, disbursed: 1 },
  payout_return: { received: 0, disbursed: -1 },
  unidentified_in: { received: 0, disbursed: 0 },
  unidentified_out: { received: 0, disbursed: 0 },
};

/** Money into a case's held account: receipts and returned payouts. */
export const isInflow = (kind: EntryKind) => kind === "receipt" || kind === "payout_return" || kind === "unidentified_in";

const CHUNK = 2000;

const ENTRY_COLUMNS = [
  ["id", "uuid"], ["court_id", "uuid"], ["case_id", "uuid"], ["kind", "text"], ["amount", "numeric"], ["effective_on", "date"],
  ["receipt_id", "uuid"], ["payout_item_id", "uuid"], ["unidentified_fund_id", "uuid"], ["memo", "text"], ["created_by", "uuid"],
] as const;
const LINE_COLUMNS = [["entry_seq", "bigint"], ["line_no", "smallint"], ["court_id", "uuid"], ["case_id", "uuid"], ["account", "text"], ["amount", "numeric"]] as const;

/**
 * Locks the balance rows of the given cases, always in case-id order so that two transactions
 * over overlapping cases cannot deadlock. Returns them by case id.
 */
export async function lockBalances(tx: Knex.Transaction, caseIds: string[]): Promise<Map<string, BalanceRow>> {
  const ids = [...new Set(caseIds)].sort();
  const rows: BalanceRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    rows.push(
      ...(await tx<BalanceRow>("case_balances").whereIn("case_id", chunk).orderBy("case_id").forUpdate().select("*")),
    );
  }
  return new Map(rows.map((r) => [r.case_id, r]));
}

/**
 * Posts journal entries set-wise (a statement per 2,000 entries, not one per entry): each entry
 * gets two lines that sum to zero, and the case balance rows move in the same transaction.
 * The caller has locked the balance rows and checked the rules; the database's CHECKs are the
 * last line of defence.
 */
export async function postEntries(tx: Knex.Transaction, entries: EntryInput[]): Promise<{ id: string; seq: string }[]> {
  const posted: { id: string; seq: string }[] = [];
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK);
    const rows = chunk.map((e) => {
      assert.ok(e.amount.gt(0), "journal entry amounts are positive");
      assert.equal(e.caseId === null, e.kind === "unidentified_in" || e.kind === "unidentified_out", "only unidentified money has no case");
      return {
        id: crypto.randomUUID(),
        court_id: e.courtId,
        case_id: e.caseId,
        kind: e.kind,
        amount: moneyToDb(e.amount),
        effective_on: e.effectiveOn,
        receipt_id: e.receiptId ?? null,
        payout_item_id: e.payoutItemId ?? null,
        unidentified_fund_id: e.unidentifiedFundId ?? null,
        memo: e.memo ?? null,
        created_by: e.createdBy,
      };
    });
    const inserted = await bulkInsert<{ id: string; seq: string }>(tx, "journal_entries", ENTRY_COLUMNS, rows, ["id", "seq"]);
    const seqById = new Map(inserted.map((r) => [r.id, r.seq]));
    const lines = rows.flatMap((row, k) => {
      const seq = seqById.get(row.id);
      assert.ok(seq, "every entry was inserted");
      const e = chunk[k];
      const heldSide = isInflow(e.kind) ? e.amount.neg() : e.amount; // credit the case (or unidentified) on inflow
      const counter: Account = e.counterAccount ?? "court_bank";
      const held: Account = e.caseId === null ? "unidentified" : "case_held";
      assert.ok(held !== counter, "an entry moves money between two different accounts");
      return [
        { entry_seq: seq, line_no: 1, court_id: row.court_id, case_id: null, account: counter, amount: moneyToDb(heldSide.neg()) },
        { entry_seq: seq, line_no: 2, court_id: row.court_id, case_id: row.case_id, account: held, amount: moneyToDb(heldSide) },
      ];
    });
    await bulkInsert(tx, "journal_lines", LINE_COLUMNS, lines);
    posted.push(...rows.map((r) => ({ id: r.id, seq: seqById.get(r.id) as string })));
  }
  await applyToBalances(tx, entries);
  return posted;
}

async function applyToBalances(tx: Knex.Transaction, entries: EntryInput[]): Promise<void> {
  const deltas = new Map<string, { received: Money; disbursed: Money }>();
  for (const e of entries) {
    if (e.caseId === null) continue;
    const d = deltas.get(e.caseId) ?? { received: ZERO, disbursed: ZERO };
    const effect = EFFECT[e.kind];
    d.received = d.received.plus(e.amount.times(effect.received));
    d.disbursed = d.disbursed.plus(e.amount.times(effect.disbursed));
    deltas.set(e.caseId, d);
  }
  const list = [...deltas.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (let i = 0; i < list.length; i += CHUNK) {
    const chunk = list.slice(i, i + CHUNK);
    const values = chunk.map(() => "(?::uuid, ?::numeric, ?::numeric)").join(", ");
    const bindings = chunk.flatMap(([caseId, d]) => [caseId, moneyToDb(d.received), moneyToDb(d.disbursed)]);
    await tx.raw(
      `UPDATE case_balances b
          SET received = b.received + d.received,
              disbursed = b.disbursed + d.disbursed,
              held = b.held + d.received - d.disbursed,
              updated_at = now()
         FROM (VALUES ${values}) AS d(case_id, received, disbursed)
        WHERE b.case_id = d.case_id`,
      bindings,
    );
  }
}

/**
 * One case entry as the tail of a single statement (a receipt posts its row, its entry, the two
 * lines and the balance in one round trip): CTEs `posted_entry`, `posted_lines`, `posted_balance`,
 * which run only if the CTE named `guard` yields a row. Same lines and balance effect as
 * postEntries; the caller has locked the balance row. `firstReceivedOn` also moves the case's first
 * receipt date back to this one if it is earlier (what refreshPerformance would compute).
 */
export function entryCtes(e: EntryInput & { caseId: string }, guard: string, opts: { firstReceivedOn?: string } = {}): { sql: string; bindings: unknown[] } {
  assert.ok(e.amount.gt(0), "journal entry amounts are positive");
  assert.ok(!/[^a-z_]/.test(guard), "a CTE name");
  const effect = EFFECT[e.kind];
  const heldSide = isInflow(e.kind) ? e.amount.neg() : e.amount; // credit the case on inflow
  const counter: Account = e.counterAccount ?? "court_bank";
  const received = e.amount.times(effect.received);
  const disbursed = e.amount.times(effect.disbursed);
  const sql = `posted_entry AS (
      INSERT INTO journal_entries (id, court_id, case_id, kind, amount, effective_on, receipt_id, payout_item_id, unidentified_fund_id, memo, created_by)
      SELECT ?::uuid, ?::uuid, ?::uuid, ?, ?::numeric, ?::date, ?::uuid, ?::uuid, ?::uuid, ?, ?::uuid FROM ${guard}
      RETURNING seq, court_id, case_id),
    posted_lines AS (
      INSERT INTO journal_lines (entry_seq, line_no, court_id, case_id, account, amount)
      SELECT pe.seq, l.line_no, pe.court_id, CASE WHEN l.line_no = 2 THEN pe.case_id END, l.account, l.amount
        FROM posted_entry pe, (VALUES (1::smallint, ?::text, ?::numeric), (2::smallint, 'case_held', ?::numeric)) AS l(line_no, account, amount)),
    posted_balance AS (
      UPDATE case_balances b
         SET received = b.received + ?::numeric, disbursed = b.disbursed + ?::numeric, held = b.held + ?::numeric - ?::numeric,
             first_received_on = ${opts.firstReceivedOn ? "LEAST(b.first_received_on, ?::date)" : "b.first_received_on"}, updated_at = now()
        FROM posted_entry pe WHERE b.case_id = pe.case_id
      RETURNING b.case_id)`;
  const bindings: unknown[] = [
    crypto.randomUUID(), e.courtId, e.caseId, e.kind, moneyToDb(e.amount), e.effectiveOn, e.receiptId ?? null, e.payoutItemId ?? null, e.unidentifiedFundId ?? null, e.memo ?? null, e.createdBy,
    counter, moneyToDb(heldSide.neg()), moneyToDb(heldSide),
    moneyToDb(received), moneyToDb(disbursed), moneyToDb(received), moneyToDb(disbursed),
    ...(opts.firstReceivedOn ? [opts.firstReceivedOn] : []),
  ];
  return { sql, bindings };
}

/**
 * The payouts of a batch's paid items, posted by the database in one statement (issue 16): an
 * entry and its two lines per item, straight from the items, and each case's balance moved by
 * the sum of its items — no item travels to the application and back. The caller has locked the
 * batch and the balance rows, released the reservation and marked the items paid.
 */
export async function postBatchPayouts(
  tx: Knex.Transaction,
  p: { batchId: string; paidOn: string; createdBy: string },
): Promise<{ entries: number; amount: Money }> {
  const { rows } = await tx.raw<{ rows: { entries: number; amount: string }[] }>(
    `WITH paid AS (
       SELECT id, court_id, case_id, amount, position FROM payout_items WHERE batch_id = ?::uuid AND status = 'paid'),
     posted AS (
       INSERT INTO journal_entries (id, court_id, case_id, kind, amount, effective_on, payout_item_id, created_by)
       SELECT gen_random_uuid(), court_id, case_id, 'payout', amount, ?::date, id, ?::uuid FROM paid ORDER BY position
       RETURNING seq, court_id, case_id, amount),
     posted_lines AS (
       INSERT INTO journal_lines (entry_seq, line_no, court_id, case_id, account, amount)
       SELECT e.seq, l.line_no, e.court_id, CASE WHEN l.line_no = 2 THEN e.case_id END, l.account,
              CASE WHEN l.line_no = 1 THEN -e.amount ELSE e.amount END
         FROM posted e, (VALUES (1::smallint, 'court_bank'), (2::smallint, 'case_held')) AS l(line_no, account)),
     moved AS (
       UPDATE case_balances b SET disbursed = b.disbursed + s.amount, held = b.held - s.amount, updated_at = now()
         FROM (SELECT case_id, sum(amount) AS amount FROM posted GROUP BY case_id) s
        WHERE b.case_id = s.case_id
       RETURNING b.case_id)
     SELECT (SELECT count(*)::int FROM posted) AS entries, (SELECT coalesce(sum(amount), 0)::text FROM posted) AS amount,
            (SELECT count(*) FROM moved) AS cases`,
    [p.batchId, p.paidOn, p.createdBy],
  );
  return { entries: rows[0].entries, amount: moneyFromDb(rows[0].amount) };
}

/** Moves money between available and reserved (a positive delta reserves, a negative one releases). */
export async function adjustReserved(tx: Knex.Transaction, deltas: Map<string, Money>): Promise<void> {
  const list = [...deltas.entries()].filter(([, d]) => !d.isZero()).sort(([a], [b]) => (a < b ? -1 : 1));
  for (let i = 0; i < list.length; i += CHUNK) {
    const chunk = list.slice(i, i + CHUNK);
    const values = chunk.map(() => "(?::uuid, ?::numeric)").join(", ");
    await tx.raw(
      `UPDATE case_balances b SET reserved = b.reserved + d.delta, updated_at = now()
         FROM (VALUES ${values}) AS d(case_id, delta) WHERE b.case_id = d.case_id`,
      chunk.flatMap(([caseId, d]) => [caseId, moneyToDb(d)]),
    );
  }
}

/**
 * `refreshPerformance(tx, caseId)` keeps its name and signature (issue 12 calls it when an
 * adjudicated amount is corrected); its rule now lives in performance.ts (issue 14: the amount owed).
 */
export { refreshPerformance } from "./performance";
import { refreshPerformance, refreshPerformanceSet } from "./performance";

/**
 * `refreshPerformance` for many cases (a statement import, a transfer), by the same one rule
 * (performance.ts): the first receipt dates set-wise, then the full computation only for the cases
 * whose live receipts reach their principal — no other case can have become fully performed
 * (`receiptMayPerform`), nor stopped being so, since receipts were only added.
 * Where receipts were also taken away (a transfer), pass `{ removed: true }`: every case is recomputed.
 */
export async function refreshPerformanceMany(tx: Knex.Transaction, caseIds: string[], opts: { removed?: boolean } = {}): Promise<void> {
  const ids = [...new Set(caseIds)].sort();
  if (opts.removed) {
    await refreshPerformanceSet(tx, { caseIds: ids });
    return;
  }
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const { rows } = await tx.raw<{ rows: { case_id: string; may_perform: boolean }[] }>(
      `WITH firsts AS (
         SELECT r.case_id, min(r.received_on) AS first_on
           FROM receipts r
          WHERE r.case_id = ANY(?::uuid[])
            AND NOT EXISTS (SELECT 1 FROM receipt_reversals v WHERE v.receipt_id = r.id)
          GROUP BY r.case_id
       )
       UPDATE case_balances b SET first_received_on = f.first_on
         FROM firsts f, cases c
        WHERE f.case_id = b.case_id AND c.id = b.case_id
       RETURNING b.case_id, b.received >= c.adjudicated_amount AS may_perform`,
      [pgUuidArray(chunk)],
    );
    for (const r of rows) if (r.may_perform) await refreshPerformance(tx, r.case_id);
  }
}

/** A uuid[] literal for one bind value (knex would spread a JS array into a list). */
export function pgUuidArray(ids: readonly string[]): string {
  for (const id of ids) assert.match(id, /^[0-9a-f-]{36}$/i, "a uuid");
  return `{${ids.join(",")}}`;
}

/** The journal's own view of one case: what the balance row must always equal. */
export async function journalTotals(knex: Knex, caseId: string): Promise<{ received: Money; disbursed: Money; held: Money }> {
  const rows = await knex("journal_entries")
    .where({ case_id: caseId })
    .groupBy("kind")
    .select<{ kind: EntryKind; total: string }[]>("kind", knex.raw("sum(amount)::text AS total"));
  const by = (k: EntryKind) => moneyFromDb(rows.find((r) => r.kind === k)?.total ?? "0");
  const received = by("receipt").minus(by("receipt_reversal"));
  const disbursed = by("payout").minus(by("payout_return"));
  const held = sumMoney([received, disbursed.neg()]);
  return { received, disbursed, held };
}

/** Overdue money per case on a date, by the one rule of held-receipts.ts (the held-funds report's too). */
export async function overdueByCase(knex: Knex, caseIds: string[], asOf: string): Promise<Map<string, Money>> {
  const result = new Map<string, Money>();
  if (caseIds.length === 0) return result;
  const { rows } = await knex.raw<{ rows: { case_id: string; overdue: string }[] }>(
    `WITH held AS (${heldReceiptsSql("cases")})
     SELECT case_id, sum(still_held)::text AS overdue FROM held WHERE is_overdue AND still_held > 0 GROUP BY case_id`,
    { caseIds, asOf },
  );
  for (const r of rows) result.set(r.case_id, moneyFromDb(r.overdue));
  return result;
}
