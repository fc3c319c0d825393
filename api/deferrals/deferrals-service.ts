import crypto from "node:crypto";
import { loadCase } from "../cases/cases-service";
import { invalidState, validationFailed } from "../core/errors";
import { checkPendingDecision } from "../core/four-eyes";
import type { WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import type { DeferralInput } from "./deferrals.schemas";
import { deferralsStore, type DeferralRow } from "./deferrals-store";

/**
 * Deferral of disbursement (延缓发放): while an approved deferral covers a date, the case's held
 * money is not overdue on that date. It takes a second person to approve.
 */
function toDeferral(r: DeferralRow): Schemas["Deferral"] {
  return {
    id: r.id,
    caseId: r.case_id,
    courtId: r.court_id,
    reason: r.reason,
    until: r.until,
    note: r.note,
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    approvedBy: r.approved_by,
    approvedAt: r.approved_at?.toISOString() ?? null,
  };
}

export async function requestDeferral(ctx: WriteContext, caseId: string, input: DeferralInput): Promise<Schemas["Deferral"]> {
  const c = await loadCase(ctx.db, ctx.actor, caseId);
  if (c.status !== "open") throw invalidState("The case is closed");
  if (input.until < ctx.today) {
    throw validationFailed([{ path: "body.until", message: "must be today or later" }], "until is in the past");
  }
  const row = await deferralsStore.insert(ctx.db, {
    id: crypto.randomUUID(),
    court_id: c.court_id,
    case_id: caseId,
    reason: input.reason,
    until: input.until,
    note: input.note ?? null,
    requested_by: ctx.actor.id,
    requested_on: ctx.today,
  });
  ctx.audit.record({
    action: "deferral.requested",
    entityType: "deferral",
    entityId: row.id,
    courtId: c.court_id,
    data: { caseId, reason: input.reason, until: input.until, note: input.note ?? null },
  });
  return toDeferral(row);
}

export async function approveDeferral(ctx: WriteContext, id: string): Promise<Schemas["Deferral"]> {
  const row = checkPendingDecision(await deferralsStore.lock(ctx.db, id), ctx.actor, "The deferral");
  const approved = await deferralsStore.approve(ctx.db, id, { userId: ctx.actor.id, on: ctx.today });
  ctx.audit.record({
    action: "deferral.approved",
    entityType: "deferral",
    entityId: id,
    courtId: row.court_id,
    data: { caseId: row.case_id, until: row.until, requestedBy: row.requested_by },
  });
  return toDeferral(approved);
}
