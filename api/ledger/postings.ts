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

/** `refreshPerformance` for many cases in one statement per 2,000 (a statement import). */
export async function refreshPerformanceMany(tx: Knex.Transaction, caseIds: string[]): Promise<void> {
  const ids = [...new Set(caseIds)].sort();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    await tx.raw(
      `WITH live AS (
         SELECT r.case_id, r.received_on, sum(r.amount) OVER (PARTITION BY r.case_id ORDER BY r.received_on, r.created_at, r.id) AS running
           FROM receipts r
          WHERE r.case_id = ANY(?::uuid[])
            AND NOT EXISTS (SELECT 1 FROM receipt_reversals v WHERE v.receipt_id = r.id)
       ), firsts AS (
         SELECT l.case_id, min(l.received_on) AS first_on,
                min(l.received_on) FILTER (WHERE l.running >= c.adjudicated_amount) AS performed_on
           FROM live l JOIN cases c ON c.id = l.case_id GROUP BY l.case_id
       )
       UPDATE case_balances b SET first_received_on = f.first_on, fully_performed_on = f.performed_on
         FROM firsts f WHERE f.case_id = b.case_id`,
      [pgUuidArray(chunk)],
    );
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
