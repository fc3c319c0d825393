import type { Knex } from "knex";
import { moneyFromDb, type Money } from "../core/money";

/** The case and party facts a listing decision needs. */
export interface CaseFacts {
  id: string;
  court_id: string;
  status: "open" | "closed";
  filed_on: string;
  fully_performed_on: string | null;
}

export interface PartyFacts {
  id: string;
  case_id: string;
  role: "applicant" | "debtor";
  name: string;
  kind: "person" | "organization";
  id_number: string | null;
}

export const caseFactsStore = {
  async findCase(knex: Knex, id: string): Promise<CaseFacts | undefined> {
    return knex("cases as c")
      .leftJoin("case_balances as b", (j) => j.on("b.court_id", "c.court_id").andOn("b.case_id", "c.id"))
      .where("c.id", id)
      .first<CaseFacts | undefined>("c.id", "c.court_id", "c.status", "c.filed_on", "b.fully_performed_on");
  },

  async partyOfCase(knex: Knex, c: { id: string; court_id: string }, partyId: string): Promise<PartyFacts | undefined> {
    return knex("parties")
      .where({ id: partyId, case_id: c.id, court_id: c.court_id })
      .first<PartyFacts | undefined>("id", "case_id", "role", "name", "kind", "id_number");
  },

  /**
   * Whether the case is fully performed, read under a share lock on its balance row so that a
   * concurrent reversal cannot undo it before this transaction commits.
   */
  async fullyPerformedOnLocked(tx: Knex.Transaction, c: { id: string; court_id: string }): Promise<string | null> {
    const row = await tx("case_balances").where({ case_id: c.id, court_id: c.court_id }).forShare().first<{ fully_performed_on: string | null } | undefined>("fully_performed_on");
    return row?.fully_performed_on ?? null;
  },

  /** The known amounts of a debtor's freezes in a case that are in force on `on` (not released by then, not lapsed). */
  async activeFrozenAmount(knex: Knex, f: { caseId: string; courtId: string; partyId: string; on: string }): Promise<Money> {
    const row = await knex("freezes")
      .where({ case_id: f.caseId, court_id: f.courtId, party_id: f.partyId })
      .where("frozen_on", "<=", f.on)
      .where("expires_on", ">=", f.on)
      .where((w) => w.where("status", "active").orWhere("released_on", ">", f.on))
      .whereNotNull("amount")
      .first<{ total: string | null }>(knex.raw("sum(amount)::text AS total"));
    return moneyFromDb(row?.total ?? "0");
  },
};
