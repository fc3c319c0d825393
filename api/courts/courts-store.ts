import type { Knex } from "knex";

export interface CourtRow {
  id: string;
  code: string;
  name: string;
  created_at: Date;
}

export const courtsStore = {
  async insert(tx: Knex.Transaction, court: { id: string; code: string; name: string }): Promise<CourtRow | null> {
    const rows = await tx("courts").insert(court).onConflict("code").ignore().returning<CourtRow[]>("*");
    return rows[0] ?? null;
  },

  /** Courts ordered by code; `courtIds` null means every court (admins). */
  async list(knex: Knex, opts: { courtIds: string[] | null; after: string[] | null; limit: number }): Promise<CourtRow[]> {
    const q = knex<CourtRow>("courts").orderBy([{ column: "code" }, { column: "id" }]).limit(opts.limit + 1);
    if (opts.courtIds) q.whereIn("id", opts.courtIds);
    if (opts.after) q.whereRaw("(code, id) > (?, ?)", opts.after);
    return q;
  },

  async existingIds(knex: Knex, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await knex("courts").whereIn("id", ids).select<{ id: string }[]>("id");
    return rows.map((r) => r.id);
  },
};
