import type { Knex } from "knex";
import type { Schemas } from "../core/schemas";

export interface DeferralRow {
  id: string;
  court_id: string;
  case_id: string;
  reason: Schemas["Deferral"]["reason"];
  until: string;
  note: string | null;
  status: "pending" | "approved";
  requested_by: string;
  requested_at: Date;
  requested_on: string;
  approved_by: string | null;
  approved_at: Date | null;
}

export const deferralsStore = {
  async insert(tx: Knex.Transaction, row: Pick<DeferralRow, "id" | "court_id" | "case_id" | "reason" | "until" | "note" | "requested_by" | "requested_on">): Promise<DeferralRow> {
    const [inserted] = await tx("deferrals").insert(row).returning<DeferralRow[]>("*");
    return inserted;
  },

  async lock(tx: Knex.Transaction, id: string): Promise<DeferralRow | undefined> {
    return tx<DeferralRow>("deferrals").where({ id }).forUpdate().first();
  },

  async approve(tx: Knex.Transaction, id: string, by: { userId: string; on: string }): Promise<DeferralRow> {
    const [approved] = await tx("deferrals")
      .where({ id })
      .update({ status: "approved", approved_by: by.userId, approved_at: tx.fn.now(), approved_on: by.on })
      .returning<DeferralRow[]>("*");
    return approved;
  },
};
