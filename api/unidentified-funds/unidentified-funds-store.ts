import type { Knex } from "knex";

export interface FundRow {
  id: string;
  court_id: string;
  statement_id: string;
  amount: string;
  received_on: string;
  claim_by: string;
  payer_name: string | null;
  payer_account: string | null;
  payer_bank: string | null;
  remark: string | null;
  bank_reference: string | null;
  reason: "no_match" | "case_closed" | "case_ambiguous";
  status: "unclaimed" | "claimed" | "returning" | "returned";
  claimed_case_id: string | null;
  claimed_receipt_id: string | null;
  claimed_by: string | null;
  claimed_at: Date | null;
  claim_note: string | null;
  return_reason: string | null;
  returned_by: string | null;
  returned_at: Date | null;
  created_at: Date;
}

export type NewFundRow = Pick<FundRow, "id" | "court_id" | "statement_id" | "amount" | "received_on" | "claim_by" | "payer_name" | "payer_account" | "payer_bank" | "remark" | "bank_reference" | "reason">;

export const fundsStore = {
  async insertMany(tx: Knex.Transaction, rows: NewFundRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) await tx("unidentified_funds").insert(rows.slice(i, i + 1000));
  },

  async find(knex: Knex, id: string, opts: { lock?: boolean } = {}): Promise<FundRow | undefined> {
    const q = knex<FundRow>("unidentified_funds").where({ id });
    if (opts.lock) q.forUpdate();
    return q.first();
  },

  async list(knex: Knex, f: { courtId: string; status?: string; overdueOn?: string; notOverdueOn?: string; after: string[] | null; limit: number }): Promise<FundRow[]> {
    const q = knex("unidentified_funds").where({ court_id: f.courtId });
    if (f.status) q.where({ status: f.status });
    if (f.overdueOn) q.where({ status: "unclaimed" }).where("claim_by", "<", f.overdueOn);
    if (f.notOverdueOn) q.where((w) => w.whereNot({ status: "unclaimed" }).orWhere("claim_by", ">=", f.notOverdueOn!));
    if (f.after) q.whereRaw("(received_on, id) > (?::date, ?::uuid)", f.after);
    return q.orderBy([{ column: "received_on" }, { column: "id" }]).limit(f.limit + 1);
  },

  async update(tx: Knex.Transaction, id: string, change: Partial<FundRow>): Promise<FundRow> {
    const [row] = await tx("unidentified_funds").where({ id }).update(change).returning<FundRow[]>("*");
    return row;
  },
};
