import assert from "node:assert/strict";
import crypto from "node:crypto";
import type { Knex } from "knex";
import { heldReceiptsSql } from "./held-receipts";
import { moneyFromDb, moneyToDb, sumMoney, ZERO, type Money } from "../core/money";

export type EntryKind = "receipt" | "receipt_reversal" | "payout" | "payout_return";

export interface EntryInput {
  kind: EntryKind;
  courtId: string;
  caseId: string;
  amount: Money;
  effectiveOn: string;
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
};

/** Money into a case's held account: receipts and returned payouts. */
export const isInflow = (kind: EntryKind) => kind === "receipt" || kind === "payout_return";

const CHUNK = 2000;

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
      return {
        id: crypto.randomUUID(),
        court_id: e.courtId,
        case_id: e.caseId,
        kind: e.kind,
        amount: moneyToDb(e.amount),
        effective_on: e.effectiveOn,
        receipt_id: e.receiptId ?? null,
        payout_item_id: e.payoutItemId ?? null,
        memo: e.memo ?? null,
        created_by: e.createdBy,
      };
    });
    const inserted = await tx("journal_entries").insert(rows).returning<{ id: string; seq: string }[]>(["id", "seq"]);
    const seqById = new Map(inserted.map((r) => [r.id, r.seq]));
    const lines = rows.flatMap((row, k) => {
      const seq = seqById.get(row.id);
      assert.ok(seq, "every entry was inserted");
      const heldSide = isInflow(chunk[k].kind) ? chunk[k].amount.neg() : chunk[k].amount; // credit the case on inflow
      return [
        { entry_seq: seq, line_no: 1, court_id: row.court_id, case_id: null, account: "court_bank", amount: moneyToDb(heldSide.neg()) },
        { entry_seq: seq, line_no: 2, court_id: row.court_id, case_id: row.case_id, account: "case_held", amount: moneyToDb(heldSide) },
      ];
    });
    await tx("journal_lines").insert(lines);
    posted.push(...rows.map((r) => ({ id: r.id, seq: seqById.get(r.id) as string })));
  }
  await applyToBalances(tx, entries);
  return posted;
}

async function applyToBalances(tx: Knex.Transaction, entries: EntryInput[]): Promise<void> {
  const deltas = new Map<string, { received: Money; disbursed: Money }>();
  for (const e of entries) {
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
