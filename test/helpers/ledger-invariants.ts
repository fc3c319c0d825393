import type { Knex } from "knex";
import { journalTotals } from "../../api/ledger/postings";
import { moneyFromDb } from "../../api/core/money";

/** Every case's balance row equals what its journal says, and every court's books balance. */
export async function expectBalancesEqualJournal(knex: Knex): Promise<void> {
  const rows = await knex("case_balances").select<{ case_id: string; received: string; disbursed: string; held: string }[]>("*");
  for (const row of rows) {
    const j = await journalTotals(knex, row.case_id);
    expect({ case: row.case_id, received: row.received, disbursed: row.disbursed, held: row.held }).toEqual({
      case: row.case_id,
      received: j.received.toFixed(2),
      disbursed: j.disbursed.toFixed(2),
      held: j.held.toFixed(2),
    });
  }
  const unbalanced = await knex("journal_lines").groupBy("entry_seq").havingRaw("sum(amount) <> 0").select("entry_seq");
  expect(unbalanced).toEqual([]);
  // The bank holds the cases' money and the money no case has claimed yet (issue 13's `unidentified` account).
  const courts = await knex.raw<{ rows: { court_id: string; bank: string | null; held: string | null; unclaimed: string | null }[] }>(
    `SELECT c.id AS court_id,
            (SELECT sum(amount) FROM journal_lines l WHERE l.court_id = c.id AND l.account = 'court_bank')::text AS bank,
            (SELECT sum(held) FROM case_balances b WHERE b.court_id = c.id)::text AS held,
            (SELECT -sum(amount) FROM journal_lines l WHERE l.court_id = c.id AND l.account = 'unidentified')::text AS unclaimed
       FROM courts c`,
  );
  for (const c of courts.rows) expect(moneyFromDb(c.bank ?? "0").minus(moneyFromDb(c.held ?? "0")).minus(moneyFromDb(c.unclaimed ?? "0")).toFixed(2)).toBe("0.00");
}
