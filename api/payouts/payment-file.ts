import crypto from "node:crypto";
import { csvDocument } from "../core/csv";
import { invalidState } from "../core/errors";
import { formatMoney } from "../core/money";
import type { WriteContext } from "../core/operation";
import { loadBatch, recordBatchEvent } from "./payouts-service";
import { nameMismatch } from "./name-check";
import { payoutsStore } from "./payouts-store";

/**
 * The bank transfer file of an approved batch: CSV (RFC 4180, CRLF) in UTF-8 with a byte order
 * mark (see core/csv.ts). It is the
 * only place where the full account number leaves the system, so every download is audited
 * (with a fingerprint of the file, never its content).
 */
export const PAYMENT_FILE_COLUMNS = ["itemId", "payeeName", "bankName", "accountName", "accountNumber", "amount", "currency", "caseNumber", "reference", "nameMismatch"] as const;

export function toCsv(rows: string[][]): string {
  return csvDocument(rows);
}

/** The transfer's remark: short enough for any bank, unique per item, and printed on the bank's answer. */
export function transferReference(batchId: string, position: number): string {
  return `CEF-${batchId.slice(0, 8)}-${position + 1}`;
}

export async function paymentFile(ctx: WriteContext, batchId: string): Promise<{ filename: string; csv: string }> {
  const tx = ctx.db;
  const batch = await loadBatch(tx, ctx.actor, batchId);
  if (batch.status !== "approved") throw invalidState(`The batch is ${batch.status}: the payment file is only given for an approved batch`);
  const rows = await payoutsStore.paymentFileRows(tx, batchId);
  const csv = toCsv([
    [...PAYMENT_FILE_COLUMNS],
    ...rows.map((r) => [
      r.id,
      r.payee_name,
      r.payee_bank_name,
      r.payee_account_name,
      r.payee_account_number,
      formatMoney(r.amount),
      "CNY",
      r.case_number,
      transferReference(batchId, r.position),
      // The account's name is not the payee's: `yes` tells the one sending the file to look first.
      nameMismatch(r.payee_name, r.payee_account_name) ? "yes" : "no",
    ]),
  ]);
  recordBatchEvent(ctx, batch, "payout_batch.payment_file_downloaded", {
    items: rows.length,
    nameMismatches: rows.filter((r) => nameMismatch(r.payee_name, r.payee_account_name)).length,
    amount: formatMoney(batch.total_amount),
    fileSha256: crypto.createHash("sha256").update(csv, "utf8").digest("hex"),
  });
  return { filename: `payout-batch-${batchId}.csv`, csv };
}
