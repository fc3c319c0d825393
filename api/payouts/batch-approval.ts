import crypto from "node:crypto";
import type { Knex } from "knex";
import { courtSettings, requiredApprovals } from "../courts/court-settings";
import { samePerson } from "../core/errors";
import { moneyFromDb } from "../core/money";
import type { Schemas } from "../core/schemas";
import { presentSummaries } from "./payouts-presenter";
import { payoutsStore, type BatchRow } from "./payouts-store";

/**
 * Approval by amount (issue 14 item 7): a court sets levels (承办人 → 执行局长 → 分管院领导, e.g.
 * one approval up to 100,000.00, two above); a batch needs as many approvals as the highest level
 * its total exceeds. Each level is a different approver, neither the creator nor the submitter; the
 * batch is `approved` after its last level. The number is fixed at the first approval, so a change
 * of the court's levels does not move a batch already half-way.
 */
export interface ApprovalStep {
  level: number;
  approvedBy: string;
  approvedAt: string;
}

export const approvalTrail = (b: Pick<BatchRow, "approval_trail">): ApprovalStep[] => (Array.isArray(b.approval_trail) ? b.approval_trail : []);

/** Approvals a batch needs: fixed once it has its first, else from the court's levels now. */
export async function approvalsNeeded(knex: Knex, b: BatchRow): Promise<number> {
  if (b.required_approvals !== null) return b.required_approvals;
  return requiredApprovals(await courtSettings(knex, b.court_id), moneyFromDb(b.total_amount));
}

/** Records one level's approval; answers the new trail and whether it was the last level. */
export async function recordApproval(tx: Knex.Transaction, b: BatchRow, approverId: string, at: Date): Promise<{ trail: ApprovalStep[]; required: number; last: boolean }> {
  const trail = approvalTrail(b);
  if (trail.some((s) => s.approvedBy === approverId)) {
    throw samePerson(`You approved level ${trail.find((s) => s.approvedBy === approverId)!.level} of this batch: each level takes a different approver`);
  }
  const required = await approvalsNeeded(tx, b);
  const level = trail.length + 1;
  const approvedAt = at.toISOString(); // the request's instant (ctx.now), as every step of the batch
  await tx("payout_batch_approvals").insert({ id: crypto.randomUUID(), court_id: b.court_id, batch_id: b.id, level, approved_by: approverId, approved_at: approvedAt });
  const next = [...trail, { level, approvedBy: approverId, approvedAt }];
  return { trail: next, required, last: level >= required };
}

/** Submitted batches of these courts, oldest first, with the level each waits for (the approval queue). */
export async function batchesAwaitingApproval(
  knex: Knex,
  courtIds: string[],
): Promise<{ batch: Schemas["PayoutBatchSummary"]; level: number; requiredApprovals: number; approvedBy: string[]; createdBy: string; submittedBy: string | null }[]> {
  const rows: BatchRow[] = [];
  let after: string[] | null = null;
  for (;;) {
    const page = await payoutsStore.list(knex, { courtIds, status: "submitted", after, limit: 500 });
    rows.push(...page.slice(0, 500));
    if (page.length <= 500) break;
    const last = page[499];
    after = [last.cursor_at, last.id];
  }
  rows.reverse();
  const summaries = await presentSummaries(knex, rows);
  const result = [];
  for (const [i, b] of rows.entries()) {
    const trail = approvalTrail(b);
    result.push({ batch: summaries[i], level: trail.length + 1, requiredApprovals: await approvalsNeeded(knex, b), approvedBy: trail.map((s) => s.approvedBy), createdBy: b.created_by, submittedBy: b.submitted_by });
  }
  return result;
}
