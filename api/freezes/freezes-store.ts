import type { Knex } from "knex";
import type { AssetType } from "./freezes.schemas";

export interface FreezeRow {
  id: string;
  court_id: string;
  case_id: string;
  party_id: string;
  asset_type: AssetType;
  description: string;
  institution: string | null;
  amount: string | null;
  frozen_on: string;
  expires_on: string;
  status: "active" | "released";
  released_on: string | null;
  created_at: Date;
  created_by: string;
}

export interface FreezeView extends FreezeRow {
  case_number: string;
  party_name: string;
}

export interface RenewalRow {
  id: string;
  freeze_id: string;
  previous_expires_on: string;
  expires_on: string;
  renewed_on: string;
  created_by: string;
}

function viewQuery(knex: Knex) {
  return knex("freezes as f")
    .join("cases as c", (j) => j.on("c.court_id", "f.court_id").andOn("c.id", "f.case_id"))
    .join("parties as p", "p.id", "f.party_id")
    .select<FreezeView[]>("f.*", "c.case_number", "p.name as party_name");
}

export interface FreezeFilter {
  courtIds: string[];
  caseId?: string;
  status?: "active" | "released" | "lapsed";
  /** Active freezes whose last day is between `today` and `expiringBy`. */
  expiringBy?: string;
  today: string;
  after: string[] | null;
  limit: number;
}

export const freezesStore = {
  async find(knex: Knex, id: string): Promise<FreezeView | undefined> {
    const rows = await viewQuery(knex).where("f.id", id);
    return rows[0];
  },

  async lock(tx: Knex.Transaction, id: string): Promise<FreezeRow | undefined> {
    return tx("freezes").where({ id }).forUpdate().first<FreezeRow | undefined>();
  },

  async insert(tx: Knex.Transaction, row: Omit<FreezeRow, "status" | "released_on" | "created_at">): Promise<void> {
    await tx("freezes").insert(row);
  },

  async extend(tx: Knex.Transaction, renewal: Omit<RenewalRow, "created_at"> & { court_id: string }): Promise<void> {
    await tx("freeze_renewals").insert(renewal);
    await tx("freezes").where({ id: renewal.freeze_id }).update({ expires_on: renewal.expires_on });
  },

  async release(tx: Knex.Transaction, id: string, changes: { released_on: string; released_by: string }): Promise<void> {
    await tx("freezes").where({ id }).update({ ...changes, status: "released", released_at: tx.fn.now() });
  },

  /** Soonest expiry first; keyset on (expires_on, id). */
  async list(knex: Knex, f: FreezeFilter): Promise<FreezeView[]> {
    const q = viewQuery(knex)
      .whereIn("f.court_id", f.courtIds)
      .orderBy([{ column: "f.expires_on" }, { column: "f.id" }])
      .limit(f.limit);
    if (f.caseId) q.where("f.case_id", f.caseId);
    if (f.status === "released") q.where("f.status", "released");
    if (f.status === "active") q.where("f.status", "active").where("f.expires_on", ">=", f.today);
    if (f.status === "lapsed") q.where("f.status", "active").where("f.expires_on", "<", f.today);
    if (f.expiringBy) q.where("f.status", "active").whereBetween("f.expires_on", [f.today, f.expiringBy]);
    if (f.after) q.whereRaw("(f.expires_on, f.id) > (?::date, ?::uuid)", f.after);
    return q;
  },

  async renewalsOf(knex: Knex, freezeIds: string[]): Promise<RenewalRow[]> {
    if (freezeIds.length === 0) return [];
    return knex("freeze_renewals")
      .whereIn("freeze_id", freezeIds)
      .orderBy([{ column: "renewed_on" }, { column: "created_at" }, { column: "id" }])
      .select<RenewalRow[]>("id", "freeze_id", "previous_expires_on", "expires_on", "renewed_on", "created_by");
  },
};
