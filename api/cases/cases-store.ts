import type { Knex } from "knex";
import type { BalanceRow } from "../ledger/postings";

export interface CaseRow {
  id: string;
  court_id: string;
  case_number: string;
  cause: string;
  filed_on: string;
  adjudicated_amount: string;
  status: "open" | "closed";
  closure_type: string | null;
  closed_on: string | null;
  created_at: Date;
  created_by: string;
  virtual_account_number?: string | null; // issue 13: assigned by the database
}

/** A case with its balance row (absent only for rows made before the ledger existed). */
export type CaseWithBalance = CaseRow & { balance: Pick<BalanceRow, "received" | "disbursed" | "held" | "reserved" | "fully_performed_on"> };

export interface PartyRow {
  id: string;
  court_id: string;
  case_id: string;
  role: "applicant" | "debtor";
  name: string;
  kind: "person" | "organization";
  id_number: string | null;
  bank_name: string | null;
  bank_account_name: string | null;
  bank_account_number: string | null;
  position: number;
}

const CASE_COLUMNS = [
  "c.id", "c.court_id", "c.case_number", "c.cause", "c.filed_on", "c.adjudicated_amount", "c.status",
  "c.closure_type", "c.closed_on", "c.created_at", "c.created_by", "c.virtual_account_number",
  "b.received", "b.disbursed", "b.held", "b.reserved", "b.fully_performed_on",
];

type FlatCase = CaseRow & Pick<BalanceRow, "received" | "disbursed" | "held" | "reserved" | "fully_performed_on"> & { cursor_at: string };

function unflatten(r: FlatCase): CaseWithBalance & { cursor_at: string } {
  const { received, disbursed, held, reserved, fully_performed_on, ...c } = r;
  return { ...c, balance: { received, disbursed, held, reserved, fully_performed_on } };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => "\\" + m);
}

export const casesStore = {
  /** Inserts the case and its empty balance row; null when the case number is taken in that court. */
  async insertCase(tx: Knex.Transaction, row: Omit<CaseRow, "status" | "closure_type" | "closed_on" | "created_at"> & { case_number_key: string }): Promise<boolean> {
    const inserted = await tx("cases").insert(row).onConflict(["court_id", "case_number_key"]).ignore().returning("id");
    if (inserted.length === 0) return false;
    await tx("case_balances").insert({ case_id: row.id, court_id: row.court_id });
    return true;
  },

  async insertParties(tx: Knex.Transaction, rows: PartyRow[]): Promise<void> {
    if (rows.length > 0) await tx("parties").insert(rows);
  },

  async find(knex: Knex, id: string): Promise<CaseWithBalance | undefined> {
    const row = await knex("cases as c").join("case_balances as b", "b.case_id", "c.id").where("c.id", id).first<FlatCase | undefined>(CASE_COLUMNS);
    return row ? unflatten({ ...row, cursor_at: "" }) : undefined;
  },

  async list(
    knex: Knex,
    f: { courtIds: string[]; status?: string; caseNumberKey?: string; q?: string; after: string[] | null; limit: number },
  ): Promise<(CaseWithBalance & { cursor_at: string })[]> {
    const q = knex("cases as c")
      .join("case_balances as b", "b.case_id", "c.id")
      .whereIn("c.court_id", f.courtIds)
      .orderBy([{ column: "c.created_at", order: "desc" }, { column: "c.id", order: "desc" }])
      .limit(f.limit + 1)
      .select<FlatCase[]>([...CASE_COLUMNS, knex.raw("c.created_at::text AS cursor_at")]);
    if (f.status) q.where("c.status", f.status);
    if (f.caseNumberKey) q.where("c.case_number_key", f.caseNumberKey);
    if (f.q) {
      q.whereExists(
        knex("parties as p")
          .whereRaw("p.case_id = c.id AND p.court_id = c.court_id")
          .andWhereRaw("p.name ILIKE ? ESCAPE '\\'", [`%${escapeLike(f.q)}%`])
          .select(knex.raw("1")),
      );
    }
    if (f.after) q.whereRaw("(c.created_at, c.id) < (?::timestamptz, ?::uuid)", f.after);
    return (await q).map(unflatten);
  },

  async partiesOf(knex: Knex, cases: { id: string; court_id: string }[]): Promise<Map<string, PartyRow[]>> {
    const byCase = new Map<string, PartyRow[]>(cases.map((c) => [c.id, []]));
    if (cases.length === 0) return byCase;
    const rows = await knex<PartyRow>("parties")
      .whereIn("court_id", [...new Set(cases.map((c) => c.court_id))])
      .whereIn("case_id", cases.map((c) => c.id))
      .orderBy(["case_id", "position"]);
    for (const r of rows) byCase.get(r.case_id)?.push(r);
    return byCase;
  },

  async findParty(knex: Knex, id: string): Promise<PartyRow | undefined> {
    return knex<PartyRow>("parties").where({ id }).first();
  },

  async close(tx: Knex.Transaction, id: string, closure: { closureType: string; closedOn: string }): Promise<void> {
    await tx("cases").where({ id }).update({ status: "closed", closure_type: closure.closureType, closed_on: closure.closedOn });
  },
};
