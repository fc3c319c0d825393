import type { Knex } from "knex";
import type { Schemas } from "../core/schemas";
import type { DeferralStatus } from "./deferrals.schemas";

export interface DeferralRow {
  id: string;
  court_id: string;
  case_id: string;
  reason: Schemas["Deferral"]["reason"];
  until: string;
  note: string | null;
  status: "pending" | "approved" | "rejected";
  requested_by: string;
  requested_at: Date;
  requested_on: string;
  approved_by: string | null;
  approved_at: Date | null;
  rejected_by: string | null;
  rejected_at: Date | null;
  reject_reason: string | null;
  ended_on: string | null;
  end_reason: string | null;
  ended_by: string | null;
  pay_by: string | null;
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

  async reject(tx: Knex.Transaction, id: string, by: { userId: string; reason: string }): Promise<DeferralRow> {
    const [rejected] = await tx("deferrals")
      .where({ id })
      .update({ status: "rejected", rejected_by: by.userId, rejected_at: tx.fn.now(), reject_reason: by.reason })
      .returning<DeferralRow[]>("*");
    return rejected;
  },

  async end(tx: Knex.Transaction, id: string, e: { endedOn: string; reason: string; userId: string; payBy: string }): Promise<DeferralRow> {
    const [ended] = await tx("deferrals")
      .where({ id })
      .update({ ended_on: e.endedOn, end_reason: e.reason, ended_by: e.userId, ended_at: tx.fn.now(), pay_by: e.payBy })
      .returning<DeferralRow[]>("*");
    return ended;
  },

  /** Newest request first; keyset on (requested_at, id). */
  async list(knex: Knex, f: { courtIds: string[]; caseId?: string; status?: DeferralStatus; after: string[] | null; limit: number }): Promise<(DeferralRow & { cursor_at: string })[]> {
    const q = knex("deferrals")
      .whereIn("court_id", f.courtIds)
      .select("*", knex.raw("requested_at::text AS cursor_at"))
      .orderBy([{ column: "requested_at", order: "desc" }, { column: "id", order: "desc" }])
      .limit(f.limit + 1);
    if (f.caseId) q.where("case_id", f.caseId);
    if (f.status === "ended") q.where("status", "approved").whereNotNull("ended_on");
    else if (f.status === "approved") q.where("status", "approved").whereNull("ended_on");
    else if (f.status) q.where("status", f.status);
    if (f.after) q.whereRaw("(requested_at, id) < (?::timestamptz, ?::uuid)", f.after);
    return q;
  },

  async pending(knex: Knex, courtIds: string[]): Promise<DeferralRow[]> {
    return knex("deferrals").whereIn("court_id", courtIds).where("status", "pending").orderBy([{ column: "requested_at" }, { column: "id" }]);
  },
};
