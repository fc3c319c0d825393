import type { Knex } from "knex";

export interface ChangeRow {
  id: string;
  court_id: string;
  case_id: string;
  party_id: string;
  bank_name: string;
  account_name: string;
  account_number: string;
  status: "pending" | "approved" | "rejected";
  requested_by: string;
  requested_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
  rejected_by: string | null;
  rejected_at: Date | null;
  reject_reason: string | null;
}

export const bankAccountChangesStore = {
  async insert(tx: Knex.Transaction, row: Omit<ChangeRow, "status" | "approved_by" | "approved_at" | "rejected_by" | "rejected_at" | "reject_reason">): Promise<ChangeRow> {
    const [inserted] = await tx("bank_account_changes").insert(row).returning<ChangeRow[]>("*");
    return inserted;
  },

  async lock(tx: Knex.Transaction, id: string): Promise<ChangeRow | undefined> {
    return tx<ChangeRow>("bank_account_changes").where({ id }).forUpdate().first();
  },

  /** Puts the approved account on the party; answers the number it replaced. */
  async applyToParty(tx: Knex.Transaction, change: ChangeRow): Promise<string | null> {
    const previous = await tx("parties").where({ id: change.party_id }).forUpdate().first<{ bank_account_number: string | null }>("bank_account_number");
    await tx("parties")
      .where({ id: change.party_id, court_id: change.court_id })
      .update({ bank_name: change.bank_name, bank_account_name: change.account_name, bank_account_number: change.account_number });
    return previous?.bank_account_number ?? null;
  },

  /** `at` is the request's instant (ctx.now): a seed replaying history dates the approval on its day. */
  async approve(tx: Knex.Transaction, id: string, by: { userId: string; at: Date }): Promise<ChangeRow> {
    const [approved] = await tx("bank_account_changes")
      .where({ id })
      .update({ status: "approved", approved_by: by.userId, approved_at: by.at })
      .returning<ChangeRow[]>("*");
    return approved;
  },

  async reject(tx: Knex.Transaction, id: string, by: { userId: string; reason: string }): Promise<ChangeRow> {
    const [rejected] = await tx("bank_account_changes")
      .where({ id })
      .update({ status: "rejected", rejected_by: by.userId, rejected_at: tx.fn.now(), reject_reason: by.reason })
      .returning<ChangeRow[]>("*");
    return rejected;
  },

  async pending(knex: Knex, courtIds: string[]): Promise<ChangeRow[]> {
    return knex("bank_account_changes").whereIn("court_id", courtIds).where("status", "pending").orderBy([{ column: "requested_at" }, { column: "id" }]);
  },
};
