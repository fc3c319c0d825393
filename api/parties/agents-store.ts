import type { Knex } from "knex";

export interface AgentRow {
  id: string;
  court_id: string;
  case_id: string;
  party_id: string;
  name: string;
  id_number: string | null;
  law_firm: string | null;
  special_authority: boolean;
  authority_number: string;
  authority_signed_on: string;
  bank_name: string | null;
  bank_account_name: string | null;
  bank_account_number: string | null;
  status: "pending" | "approved" | "rejected";
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  reject_reason: string | null;
}

export type NewAgentRow = Omit<AgentRow, "status" | "requested_at" | "decided_by" | "decided_at" | "reject_reason">;

export const agentsStore = {
  async insert(tx: Knex.Transaction, row: NewAgentRow): Promise<AgentRow> {
    const [inserted] = await tx("party_agents").insert(row).returning<AgentRow[]>("*");
    return inserted;
  },

  async lock(tx: Knex.Transaction, id: string): Promise<AgentRow | undefined> {
    return tx<AgentRow>("party_agents").where({ id }).forUpdate().first();
  },

  async decide(tx: Knex.Transaction, id: string, d: { status: "approved" | "rejected"; by: string; reason: string | null }): Promise<AgentRow> {
    const [row] = await tx("party_agents")
      .where({ id, status: "pending" })
      .update({ status: d.status, decided_by: d.by, decided_at: tx.fn.now(), reject_reason: d.reason })
      .returning<AgentRow[]>("*");
    return row;
  },

  async list(
    knex: Knex,
    f: { courtIds: string[]; caseId?: string; partyId?: string; status?: string; after: string[] | null; limit: number },
  ): Promise<(AgentRow & { cursor_at: string })[]> {
    const q = knex("party_agents as a")
      .whereIn("a.court_id", f.courtIds)
      .orderBy([{ column: "a.requested_at", order: "asc" }, { column: "a.id", order: "asc" }])
      .limit(f.limit + 1)
      .select<(AgentRow & { cursor_at: string })[]>("a.*", knex.raw("a.requested_at::text AS cursor_at"));
    if (f.caseId) q.where("a.case_id", f.caseId);
    if (f.partyId) q.where("a.party_id", f.partyId);
    if (f.status) q.where("a.status", f.status);
    if (f.after) q.whereRaw("(a.requested_at, a.id) > (?::timestamptz, ?::uuid)", f.after);
    return q;
  },
};
