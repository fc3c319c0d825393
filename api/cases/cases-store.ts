import { together, type Statement } from "../../db/prepared";
import type { Knex } from "knex";
import type { BalanceRow } from "../ledger/postings";

export interface CaseRow {
  id: string;
  court_id: string;
  case_number: string;
  cause: string;
  filed_on: string;
  adjudicated_amount: string;
  perform_by: string | null;
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
  /** HMAC of the normalised id number (api/core/keyed-hash.ts): what search by id compares. */
  id_number_hash: string | null;
  bank_name: string | null;
  bank_account_name: string | null;
  bank_account_number: string | null;
  position: number;
}

const CASE_COLUMNS = [
  "c.id", "c.court_id", "c.case_number", "c.cause", "c.filed_on", "c.adjudicated_amount", "c.perform_by", "c.status",
  "c.closure_type", "c.closed_on", "c.created_at", "c.created_by", "c.virtual_account_number",
  "b.received", "b.disbursed", "b.held", "b.reserved", "b.fully_performed_on",
];

type FlatCase = CaseRow & Pick<BalanceRow, "received" | "disbursed" | "held" | "reserved" | "fully_performed_on"> & { cursor_at: string };

function unflatten(r: FlatCase): CaseWithBalance & { cursor_at: string } {
  const { received, disbursed, held, reserved, fully_performed_on, ...c } = r;
  return { ...c, balance: { received, disbursed, held, reserved, fully_performed_on } };
}

/** The case with its balance row locked: a fixed text (every receipt and payout sends it), its one binding the case's id. */
const WITH_BALANCE_LOCKED = `SELECT ${CASE_COLUMNS.join(", ")} FROM cases c JOIN case_balances b ON b.case_id = c.id WHERE c.id = ? FOR UPDATE OF b`;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => "\\" + m);
}

export const casesStore = {
  /** Inserts the case and its empty balance row; null when the case number is taken in that court. */
  async insertCase(tx: Knex.Transaction, row: Omit<CaseRow, "status" | "closure_type" | "closed_on" | "created_at" | "perform_by"> & { case_number_key: string; perform_by: string | null }): Promise<boolean> {
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

  /**
   * The case with its balance row locked (FOR UPDATE OF the balance only), in one statement. The
   * case's own columns come from the statement's snapshot: a caller that must not act on a closed
   * case re-checks the status in its next statement (see receiptsStore.insertPosted).
   */
  async findWithBalanceLocked(tx: Knex.Transaction, id: string): Promise<CaseWithBalance | undefined> {
    // Prepared (together): every receipt and payout starts with it, and planning it cost more than running it.
    const [rows] = await together(tx, [casesStore.withBalanceLockedStatement(id)]);
    return casesStore.lockedCaseOf(rows);
  },

  /** findWithBalanceLocked as a statement, to send with others (db/transaction.ts `together`); lockedCaseOf reads its rows. */
  withBalanceLockedStatement(id: string): Statement {
    return { sql: WITH_BALANCE_LOCKED, bindings: [id] };
  },

  lockedCaseOf(rows: readonly unknown[]): CaseWithBalance | undefined {
    const row = rows[0] as FlatCase | undefined;
    return row ? unflatten({ ...row, cursor_at: "" }) : undefined;
  },

  async list(
    knex: Knex,
    f: { courtIds: string[]; status?: string; caseNumberKey?: string; q?: string; qIdNumberHash?: string; after: string[] | null; limit: number },
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
          .andWhere((w) => {
            w.whereRaw("p.name ILIKE ? ESCAPE '\\'", [`%${escapeLike(f.q ?? "")}%`]);
            // A full id number or credit code, exactly, through its keyed hash: never the number itself.
            if (f.qIdNumberHash) w.orWhere("p.id_number_hash", f.qIdNumberHash);
          })
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

  /** Another case of the court with this normalised number, if any. */
  async caseNumberTaken(knex: Knex, courtId: string, caseNumberKey: string, exceptId: string): Promise<boolean> {
    const row = await knex("cases").where({ court_id: courtId, case_number_key: caseNumberKey }).whereNot({ id: exceptId }).first("id");
    return row !== undefined;
  },

  async updateCase(tx: Knex.Transaction, id: string, patch: Partial<Pick<CaseRow, "case_number" | "cause" | "filed_on" | "adjudicated_amount" | "perform_by"> & { case_number_key: string }>): Promise<void> {
    await tx("cases").where({ id }).update(patch);
  },

  async firstReceivedOn(knex: Knex, caseId: string): Promise<string | null> {
    const row = await knex("case_balances").where({ case_id: caseId }).first<{ first_received_on: string | null } | undefined>("first_received_on");
    return row?.first_received_on ?? null;
  },

  /** The earliest decision date of the case's listings: the filing date may not move past it. */
  async earliestListingDecision(knex: Knex, c: { id: string; court_id: string }): Promise<string | null> {
    const row = await knex("listings").where({ court_id: c.court_id, case_id: c.id }).min<{ min: string | null }>("decided_on as min").first();
    return row?.min ?? null;
  },

  async nextPartyPosition(tx: Knex.Transaction, c: { id: string; court_id: string }): Promise<number> {
    const row = await tx("parties").where({ court_id: c.court_id, case_id: c.id }).max<{ max: number | null }>("position as max").first();
    return (row?.max ?? -1) + 1;
  },

  async updateParty(tx: Knex.Transaction, id: string, patch: Partial<Pick<PartyRow, "name" | "kind" | "id_number" | "id_number_hash">>): Promise<PartyRow> {
    const [row] = await tx("parties").where({ id }).update(patch).returning<PartyRow[]>("*");
    return row;
  },

  async lockParty(tx: Knex.Transaction, id: string): Promise<PartyRow | undefined> {
    return tx<PartyRow>("parties").where({ id }).forUpdate().first();
  },

  /** What names a party and keeps it from being removed: each kind of record, with how many. */
  async partyReferences(knex: Knex, p: { id: string; court_id: string }): Promise<Record<string, number>> {
    const { rows } = await knex.raw<{ rows: { what: string; n: string | number }[] }>(
      `SELECT 'payout items' AS what, count(*) AS n FROM payout_items WHERE court_id = :court AND party_id = :id
       UNION ALL SELECT 'listings', count(*) FROM listings WHERE court_id = :court AND party_id = :id
       UNION ALL SELECT 'freezes', count(*) FROM freezes WHERE court_id = :court AND party_id = :id
       UNION ALL SELECT 'agents', count(*) FROM party_agents WHERE court_id = :court AND party_id = :id
       UNION ALL SELECT 'bank account changes', count(*) FROM bank_account_changes WHERE court_id = :court AND party_id = :id`,
      { court: p.court_id, id: p.id },
    );
    return Object.fromEntries(rows.filter((r) => Number(r.n) > 0).map((r) => [r.what, Number(r.n)]));
  },

  async deleteParty(tx: Knex.Transaction, id: string): Promise<void> {
    await tx("parties").where({ id }).delete();
  },

  async close(tx: Knex.Transaction, id: string, closure: { closureType: string; closedOn: string }): Promise<void> {
    await tx("cases").where({ id }).update({ status: "closed", closure_type: closure.closureType, closed_on: closure.closedOn });
  },
};
