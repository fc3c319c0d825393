import { courtsInScope } from "../core/court-scope";
import type { ReadContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { pendingDeferrals } from "../deferrals/deferrals-service";
import { pendingRemovals } from "../listings/listings-service";
import { pendingBankAccountChanges } from "../parties/bank-account-changes-service";
import { batchesAwaitingApproval } from "../payouts/batch-approval";

/**
 * The approver's queue (`GET /v1/approvals`, issue 14 item 8): everything waiting for a second
 * person in the courts in scope, oldest first. What the caller asked for or prepared is listed
 * with `mine: true`, because four eyes forbid deciding it.
 *
 * Agents (代理人) and transfers are approved too; their features are built in parallel (issues 12
 * and 13). Each adds one `pending…(ctx, courtIds)` of its own service and one line below.
 */
export async function listApprovals(ctx: ReadContext, query: { courtId?: string }): Promise<Schemas["ApprovalQueue"]> {
  const courtIds = courtsInScope(ctx.actor, query.courtId);
  const me = ctx.actor.id;
  const batches = await batchesAwaitingApproval(ctx.db, courtIds);
  const deferrals = await pendingDeferrals(ctx, courtIds);
  const changes = await pendingBankAccountChanges(ctx, courtIds);
  const removals = await pendingRemovals(ctx, courtIds);
  return {
    courtIds,
    payoutBatches: batches.map((b) => ({
      batch: b.batch,
      level: b.level,
      requiredApprovals: b.requiredApprovals,
      mine: b.createdBy === me || b.submittedBy === me || b.approvedBy.includes(me),
    })),
    deferrals: deferrals.map((d) => ({ deferral: d, mine: d.requestedBy === me })),
    bankAccountChanges: changes.map((c) => ({ change: c, mine: c.requestedBy === me })),
    listingRemovals: removals.map((l) => ({ listing: l, mine: l.removal?.requestedBy === me })),
    // Filled in by the agents and transfers features (issues 12 and 13) when they land.
    agents: [],
    transfers: [],
  };
}
