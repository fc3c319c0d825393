import crypto from "node:crypto";
import { loadCase } from "../cases/cases-service";
import { courtsInScope, assertCourtAccess } from "../core/court-scope";
import { addDays } from "../core/dates";
import { invalidState, notFound, validationFailed } from "../core/errors";
import { checkPendingDecision } from "../core/four-eyes";
import type { ReadContext, WriteContext } from "../core/operation";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import type { DeferralEndInput, DeferralInput, DeferralListQuery } from "./deferrals.schemas";
import { deferralsStore, type DeferralRow } from "./deferrals-store";

/**
 * Deferral of disbursement (延缓发放): while an approved deferral covers a date, the case's held
 * money is not overdue on that date. It takes a second person to approve, who may instead reject
 * it with a reason. It covers the days from its request (`requestedOn`) to `until`, never earlier
 * ones; when its ground ceases it ends (`endedOn`) and the money is due within 10 days (`payBy`).
 */
export const PAY_WITHIN_DAYS_AFTER_END = 10;

export function toDeferral(r: DeferralRow): Schemas["Deferral"] {
  return {
    id: r.id,
    caseId: r.case_id,
    courtId: r.court_id,
    reason: r.reason,
    until: r.until,
    note: r.note,
    status: r.status === "approved" && r.ended_on !== null ? "ended" : r.status,
    requestedBy: r.requested_by,
    requestedOn: r.requested_on,
    requestedAt: r.requested_at.toISOString(),
    approvedBy: r.approved_by,
    approvedAt: r.approved_at?.toISOString() ?? null,
    rejectedBy: r.rejected_by,
    rejectedAt: r.rejected_at?.toISOString() ?? null,
    rejectReason: r.reject_reason,
    endedOn: r.ended_on,
    endReason: r.end_reason,
    endedBy: r.ended_by,
    payBy: r.pay_by,
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
    data: { caseId, reason: input.reason, until: input.until, note: input.note ?? null, requestedOn: ctx.today },
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
    data: { caseId: row.case_id, until: row.until, requestedBy: row.requested_by, requestedOn: row.requested_on },
  });
  return toDeferral(approved);
}

export async function rejectDeferral(ctx: WriteContext, id: string, reason: string): Promise<Schemas["Deferral"]> {
  const row = checkPendingDecision(await deferralsStore.lock(ctx.db, id), ctx.actor, "The deferral");
  const rejected = await deferralsStore.reject(ctx.db, id, { userId: ctx.actor.id, reason });
  ctx.audit.record({
    action: "deferral.rejected",
    entityType: "deferral",
    entityId: id,
    courtId: row.court_id,
    data: { caseId: row.case_id, requestedBy: row.requested_by, reason, before: { status: row.status }, after: { status: "rejected" } },
  });
  return toDeferral(rejected);
}

/** The ground has ceased: the money is due within 10 days of `endedOn` (then overdue again). */
export async function endDeferral(ctx: WriteContext, id: string, input: DeferralEndInput): Promise<Schemas["Deferral"]> {
  const row = await deferralsStore.lock(ctx.db, id);
  if (!row) throw notFound("The deferral");
  assertCourtAccess(ctx.actor, row.court_id, "The deferral");
  if (row.status !== "approved") throw invalidState(`The deferral is ${row.status}: only an approved deferral can end`);
  if (row.ended_on !== null) throw invalidState(`The deferral already ended on ${row.ended_on}`);
  const bad = (message: string) => validationFailed([{ path: "body.endedOn", message }], `endedOn ${message}`);
  if (input.endedOn > ctx.today) throw bad("must not be in the future");
  if (input.endedOn < row.requested_on) throw bad(`must not be before the deferral was requested (${row.requested_on})`);
  if (input.endedOn > row.until) throw bad(`must not be after until (${row.until}): the deferral had already run out`);
  const payBy = addDays(input.endedOn, PAY_WITHIN_DAYS_AFTER_END);
  const ended = await deferralsStore.end(ctx.db, id, { endedOn: input.endedOn, reason: input.reason, userId: ctx.actor.id, payBy });
  ctx.audit.record({
    action: "deferral.ended",
    entityType: "deferral",
    entityId: id,
    courtId: row.court_id,
    data: { caseId: row.case_id, endedOn: input.endedOn, reason: input.reason, payBy, before: { until: row.until, endedOn: null }, after: { endedOn: input.endedOn, payBy } },
  });
  return toDeferral(ended);
}

export async function listDeferrals(ctx: ReadContext, query: DeferralListQuery): Promise<Page<Schemas["Deferral"]>> {
  const rows = await deferralsStore.list(ctx.db, {
    courtIds: courtsInScope(ctx.actor, query.courtId),
    caseId: query.caseId,
    status: query.status,
    after: decodeCursor(query.cursor, ["timestamp", "uuid"]),
    limit: query.limit,
  });
  return toPage(rows, query.limit, (r) => [r.cursor_at, r.id], toDeferral);
}

/** Deferrals waiting for an approver, oldest first (the approval queue). */
export async function pendingDeferrals(ctx: ReadContext, courtIds: string[]): Promise<Schemas["Deferral"][]> {
  return (await deferralsStore.pending(ctx.db, courtIds)).map(toDeferral);
}
