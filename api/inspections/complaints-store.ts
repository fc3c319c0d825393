import type { Knex } from "knex";

export interface ComplaintRow {
  id: string;
  court_id: string;
  received_on: string;
  channel: "letter" | "visit" | "phone" | "online";
  complainant_name: string;
  contact: string | null;
  case_id: string | null;
  summary: string;
  reply_by: string;
  status: "received" | "replied";
  replied_on: string | null;
  outcome: string | null;
  created_at: Date;
  created_by: string;
}

export const complaintsStore = {
  async insert(tx: Knex.Transaction, row: Omit<ComplaintRow, "status" | "replied_on" | "outcome" | "created_at">): Promise<ComplaintRow> {
    const [r] = await tx("complaints").insert(row).returning<ComplaintRow[]>("*");
    return r;
  },

  async find(knex: Knex, id: string): Promise<ComplaintRow | undefined> {
    return knex("complaints").where({ id }).first<ComplaintRow | undefined>();
  },

  async lock(tx: Knex.Transaction, id: string): Promise<ComplaintRow | undefined> {
    return tx("complaints").where({ id }).forUpdate().first<ComplaintRow | undefined>();
  },

  async reply(tx: Knex.Transaction, id: string, changes: { replied_on: string; outcome: string; replied_by: string }): Promise<ComplaintRow> {
    const [r] = await tx("complaints")
      .where({ id })
      .update({ ...changes, status: "replied", replied_at: tx.fn.now() })
      .returning<ComplaintRow[]>("*");
    return r;
  },

  /** Newest first, a page at a time (keyset cursor: received_on, id, both descending); one row more than `limit`. */
  async list(knex: Knex, f: { courtIds: string[]; status?: "received" | "replied" | "overdue"; today: string; page: { after: string[] | null; limit: number } }): Promise<ComplaintRow[]> {
    const q = knex("complaints")
      .whereIn("court_id", f.courtIds)
      .orderBy([{ column: "received_on", order: "desc" }, { column: "id", order: "desc" }])
      .limit(f.page.limit + 1);
    if (f.page.after) q.whereRaw("(received_on, id) < (?::date, ?::uuid)", f.page.after);
    if (f.status === "overdue") q.where("status", "received").where("reply_by", "<", f.today);
    else if (f.status) q.where("status", f.status);
    return q;
  },

  /** The ledger's figures, counted by the database over every letter and visit the court received in the period. */
  async countReceived(knex: Knex, f: { courtId: string; receivedFrom: string; receivedTo: string; today: string }): Promise<{ received: number; replied: number; overdue: number }> {
    const { rows } = await knex.raw<{ rows: { received: number; replied: number; overdue: number }[] }>(
      `SELECT count(*)::int AS received,
              (count(*) FILTER (WHERE status = 'replied'))::int AS replied,
              (count(*) FILTER (WHERE status = 'received' AND reply_by < :today::date))::int AS overdue
         FROM complaints
        WHERE court_id = :courtId::uuid AND received_on BETWEEN :receivedFrom::date AND :receivedTo::date`,
      { ...f },
    );
    return rows[0];
  },
};
