import type { Knex } from "knex";
import { AppError } from "../core/errors";

/**
 * A bank reference (流水号) is unique per court across receipts and statement lines: the same
 * transfer cannot be credited twice, whether typed in by hand or read from a statement. The
 * register (`bank_references`) holds each reference once, with who has it: a receipt, or an
 * unidentified fund that no case has claimed yet.
 */
export function referenceKey(reference: string): string {
  return reference.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
}

export interface ReferenceHolder {
  reference_key: string;
  receipt_id: string | null;
  unidentified_fund_id: string | null;
}

export function duplicateReference(reference: string, holder: Pick<ReferenceHolder, "receipt_id" | "unidentified_fund_id">): AppError {
  const who = holder.receipt_id ? `receipt ${holder.receipt_id}` : `unidentified fund ${holder.unidentified_fund_id} (claim it instead)`;
  return new AppError("duplicate_bank_reference", `Bank reference ${reference} is already recorded, by ${who}`, {
    ...(holder.receipt_id ? { receiptId: holder.receipt_id } : {}),
    ...(holder.unidentified_fund_id ? { unidentifiedFundId: holder.unidentified_fund_id } : {}),
  });
}

/** Takes a reference for a new receipt, or throws 409 naming who has it. */
export async function claimReferenceForReceipt(tx: Knex.Transaction, courtId: string, reference: string, receiptId: string): Promise<void> {
  const key = referenceKey(reference);
  const taken = await tx("bank_references")
    .insert({ court_id: courtId, reference_key: key, receipt_id: receiptId })
    .onConflict(["court_id", "reference_key"])
    .ignore()
    .returning("reference_key");
  if (taken.length === 1) return;
  const holder = (await tx("bank_references").where({ court_id: courtId, reference_key: key }).first()) as ReferenceHolder | undefined;
  throw duplicateReference(reference, holder ?? { receipt_id: null, unidentified_fund_id: null });
}

/** Who holds these references already (a statement import, set-based). */
export async function referenceHolders(tx: Knex.Transaction, courtId: string, keys: string[]): Promise<Map<string, ReferenceHolder>> {
  const found = new Map<string, ReferenceHolder>();
  for (let i = 0; i < keys.length; i += 2000) {
    const rows: ReferenceHolder[] = await tx("bank_references")
      .where({ court_id: courtId })
      .whereIn("reference_key", keys.slice(i, i + 2000))
      .select("reference_key", "receipt_id", "unidentified_fund_id");
    for (const r of rows) found.set(r.reference_key, r);
  }
  return found;
}

/** Registers references known to be free (the import checked them under its lock). */
export async function registerReferences(tx: Knex.Transaction, rows: { court_id: string; reference_key: string; receipt_id: string | null; unidentified_fund_id: string | null }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) await tx("bank_references").insert(rows.slice(i, i + 2000));
}

/** A claimed fund hands its reference to the receipt it became. */
export async function moveReferenceToReceipt(tx: Knex.Transaction, courtId: string, fundId: string, receiptId: string): Promise<void> {
  await tx("bank_references").where({ court_id: courtId, unidentified_fund_id: fundId }).update({ receipt_id: receiptId });
}
