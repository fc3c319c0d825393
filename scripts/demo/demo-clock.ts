import type { Knex } from "knex";

/**
 * When a demo batch was submitted and approved. The seed records weeks of past work in one
 * transaction, and the payouts service stamps `submitted_at`/`approved_at` with the transaction's
 * clock, so every batch would read "approved 0 minutes after submission" and the red flag
 * `batch_approved_quickly` would fire on all of them. The seed therefore sets the two times it
 * means (hours or days apart, one deliberate quick approval) right after the approval, on the
 * batch and on its approval trail. The append-only `payout_batch_approvals` rows and the audit
 * events keep the seed's own time: they say when the records were entered.
 */
export type BatchClock = (batchId: string, times: { submittedAt: Date; approvedAt: Date }) => Promise<void>;

export function batchClock(tx: Knex.Transaction): BatchClock {
  return async (batchId, { submittedAt, approvedAt }) => {
    if (approvedAt <= submittedAt) throw new Error("a demo batch is approved after its submission");
    const row = await tx("payout_batches").where({ id: batchId }).first<{ approval_trail: { level: number; approvedBy: string; approvedAt: string }[] }>("approval_trail");
    if (!row) throw new Error(`demo batch ${batchId} is missing`);
    const trail = row.approval_trail.map((step) => ({ ...step, approvedAt: approvedAt.toISOString() }));
    await tx("payout_batches").where({ id: batchId }).update({ submitted_at: submittedAt, approved_at: approvedAt, approval_trail: JSON.stringify(trail) });
  };
}

/** A China-time instant: `day` at `hh:mm` (UTC+8). */
export const chinaTime = (day: string, hh: number, mm: number) => new Date(`${day}T${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}:00+08:00`);
