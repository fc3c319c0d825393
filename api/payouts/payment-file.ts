import crypto from "node:crypto";
import type { Knex } from "knex";
import type { ServiceContext } from "../cases/cases-service";
import { invalidState } from "../core/errors";
import { formatMoney } from "../core/money";
import { audit, loadBatch } from "./payouts-service";

/**
 * The bank transfer file of an approved batch: CSV (RFC 4180, CRLF) in UTF-8 with a byte order
 * mark, because spreadsheet programs in Chinese locales otherwise read UTF-8 as GBK. It is the
 * only place where the full account number leaves the system, so every download is audited
 * (with a fingerprint of the file, never its content).
 */
export const PAYMENT_FILE_COLUMNS = ["itemId", "payeeName", "bankName", "accountName", "accountNumber", "amount", "currency", "caseNumber", "reference"] as const;

const BOM = "\uFEFF";

/** A cell a spreadsheet would run as a formula gets a leading `'` (OWASP CSV injection advice). */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: string[][]): string {
  return BOM + rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** The transfer's remark: short enough for any bank, unique per item, and printed on the bank's answer. */
export function transferReference(batchId: string, position: number): string {
  return `CEF-${batchId.slice(0, 8)}-${position + 1}`;
}

interface FileRow {
  id: string;
  position: number;
  amount: string;
  payee_name: string;
  payee_account_name: string;
  payee_bank_name: string;
  payee_account_number: string;
  case_number: string;
}

export async function paymentFile(tx: Knex.Transaction, ctx: ServiceContext, batchId: string): Promise<{ filename: string; csv: string }> {
  const batch = await loadBatch(tx, ctx.actor, batchId);
  if (batch.status !== "approved") throw invalidState(`The batch is ${batch.status}: the payment file is only given for an approved batch`);
  const rows = await tx("payout_items as i")
    .join("cases as c", "c.id", "i.case_id")
    .where("i.batch_id", batchId)
    .orderBy("i.position")
    .select<FileRow[]>("i.id", "i.position", "i.amount", "i.payee_name", "i.payee_account_name", "i.payee_bank_name", "i.payee_account_number", "c.case_number");
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
    ]),
  ]);
  await audit(tx, ctx, batch, "payout_batch.payment_file_downloaded", {
    items: rows.length,
    amount: formatMoney(batch.total_amount),
    fileSha256: crypto.createHash("sha256").update(csv, "utf8").digest("hex"),
  });
  return { filename: `payout-batch-${batchId}.csv`, csv };
}
