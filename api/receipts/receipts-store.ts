import type { Knex } from "knex";

export interface ReceiptRow {
  id: string;
  court_id: string;
  case_id: string;
  amount: string;
  received_on: string;
  disburse_by: string;
  statutory_disburse_by: string | null;
  local_disburse_by: string | null;
  source: "voluntary" | "deduction" | "auction" | "other";
  payer_name: string | null;
  bank_reference: string | null;
  created_at: Date;
  created_by: string;
}

export interface ReversalRow {
  id: string;
  court_id: string;
  case_id: string;
  receipt_id: string;
  reason: string;
  reversed_on: string;
  created_at: Date;
  created_by: string;
}

export const receiptsStore = {
  async insert(tx: Knex.Transaction, row: Omit<ReceiptRow, "created_at">): Promise<ReceiptRow> {
    const [inserted] = await tx("receipts").insert(row).returning<ReceiptRow[]>("*");
    return inserted;
  },

  async find(knex: Knex, id: string): Promise<ReceiptRow | undefined> {
    return knex<ReceiptRow>("receipts").where({ id }).first();
  },

  async reversalOf(knex: Knex, receiptId: string): Promise<ReversalRow | undefined> {
    return knex<ReversalRow>("receipt_reversals").where({ receipt_id: receiptId }).first();
  },

  async insertReversal(tx: Knex.Transaction, row: Omit<ReversalRow, "created_at">): Promise<ReversalRow> {
    const [inserted] = await tx("receipt_reversals").insert(row).returning<ReversalRow[]>("*");
    return inserted;
  },
};
