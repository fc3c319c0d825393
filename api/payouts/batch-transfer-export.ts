import crypto from "node:crypto";
import { courtSettings } from "../courts/court-settings";
import { invalidState } from "../core/errors";
import { formatMoney, moneyFromDb } from "../core/money";
import type { WriteContext } from "../core/operation";
import { batchTransferFile, BATCH_TRANSFER_LAYOUT, type BatchTransferFile } from "../statements/batch-transfer-file";
import { transferReference } from "./payment-file";
import { loadBatch, recordBatchEvent } from "./payouts-service";
import { payoutsStore } from "./payouts-store";

/**
 * The batch-transfer file (批量转账/代发) of an approved batch in the bank's own layout, as XLSX
 * with account numbers as text cells or as CSV with them guarded, with the control totals (count
 * and sum) the bank checks (issue 13). Each item's reference (CEF-…) travels in 报销号 and 备注,
 * so that the statement import matches the bank's debit back to the item. Every download is
 * audited, as for the v1 payment file: it is where full account numbers leave the system.
 */
export async function batchTransferExport(ctx: WriteContext, batchId: string, opts: { format: "xlsx" | "csv"; encoding?: "utf-8-bom" | "gb18030" }): Promise<BatchTransferFile> {
  const tx = ctx.db;
  const batch = await loadBatch(tx, ctx.actor, batchId);
  if (batch.status !== "approved") throw invalidState(`The batch is ${batch.status}: the batch-transfer file is only given for an approved batch`);
  const settings = await courtSettings(tx, batch.court_id);
  if (!settings.masterAccount) throw invalidState("The court has no master account yet: an admin sets it in the court's settings");
  const rows = await payoutsStore.paymentFileRows(tx, batchId);
  const file = await batchTransferFile(
    rows.map((r) => ({
      payeeName: r.payee_name,
      bankName: r.payee_bank_name,
      accountName: r.payee_account_name,
      accountNumber: r.payee_account_number,
      amount: moneyFromDb(r.amount),
      reference: transferReference(batchId, r.position),
      // An execution fee item goes to the court's fee account (its payee, copied at submit): 执行费.
      remark: `${r.case_number} ${r.kind === "execution_fee" ? "执行费" : "执行案款"}`,
    })),
    { payer: settings.masterAccount, payOn: ctx.today, batchReference: batchId.slice(0, 8), format: opts.format, csvEncoding: opts.encoding },
  );
  recordBatchEvent(ctx, batch, "payout_batch.batch_transfer_file_downloaded", {
    layout: BATCH_TRANSFER_LAYOUT,
    format: opts.format,
    items: file.count,
    amount: formatMoney(file.total),
    flagged: file.flagged.length,
    fileSha256: crypto.createHash("sha256").update(file.buffer).digest("hex"),
  });
  return file;
}
