import crypto from "node:crypto";
import type { Knex } from "knex";
import { assertCourtAccess, courtsInScope } from "../core/court-scope";
import { invalidState, notFound, samePerson, validationFailed } from "../core/errors";
import type { ReadContext, WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { loadComplaint } from "./complaints-service";
import { loadInspection } from "./inspections-service";
import type { EntityType, FindingCreateInput, FindingListQuery, FindingStatus, FindingVerifyInput, RectificationCreateInput } from "./inspections.schemas";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import { inspectionsStore, type FindingRow, type RectificationRow, type VerificationRow } from "./inspections-store";

/** Overdue: past `rectifyBy` (China time) and not verified. */
export const isOverdue = (f: { status: FindingStatus; rectify_by: string }, today: string) => f.status !== "verified" && today > f.rectify_by;

export function toFinding(f: FindingRow, rects: RectificationRow[], vers: VerificationRow[], today: string): Schemas["Finding"] {
  return {
    id: f.id,
    courtId: f.court_id,
    inspectionId: f.inspection_id,
    category: f.category,
    description: f.description,
    severity: f.severity,
    entities: f.entities,
    responsibleUserId: f.responsible_user_id,
    complaintId: f.complaint_id,
    foundOn: f.found_on,
    rectifyBy: f.rectify_by,
    status: f.status,
    overdue: isOverdue(f, today),
    rectifications: rects.map((r) => ({ id: r.id, description: r.description, evidence: r.evidence, completedOn: r.completed_on, createdAt: r.created_at.toISOString(), createdBy: r.created_by })),
    verifications: vers.map((v) => ({ id: v.id, rectificationId: v.rectification_id, accepted: v.accepted, note: v.note, createdAt: v.created_at.toISOString(), createdBy: v.created_by })),
    createdAt: f.created_at.toISOString(),
    createdBy: f.created_by,
  };
}

async function present(knex: Knex, id: string, today: string): Promise<Schemas["Finding"]> {
  const f = await inspectionsStore.findFinding(knex, id);
  if (!f) throw notFound("The finding");
  return toFinding(f, await inspectionsStore.rectificationsOf(knex, [id]), await inspectionsStore.verificationsOf(knex, [id]), today);
}

/** Every entity a finding names must be a record of the inspection's court: another court's is "not found". */
async function assertEntitiesInCourt(knex: Knex, courtId: string, entities: { type: EntityType; id: string }[]): Promise<void> {
  const byType = new Map<EntityType, string[]>();
  for (const e of entities) byType.set(e.type, [...(byType.get(e.type) ?? []), e.id]);
  for (const [type, ids] of byType) {
    const found = await inspectionsStore.existingIn(knex, courtId, type, ids);
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw notFound(`The ${type} ${missing}`);
  }
}

export async function createFinding(ctx: WriteContext, inspectionId: string, input: FindingCreateInput): Promise<Schemas["Finding"]> {
  const tx = ctx.db;
  const inspection = await loadInspection(tx, ctx.actor, inspectionId);
  if (input.foundOn > ctx.today) throw validationFailed([{ path: "body.foundOn", message: "must not be in the future" }]);
  await assertEntitiesInCourt(tx, inspection.court_id, input.entities);
  if (input.responsibleUserId) await assertEntitiesInCourt(tx, inspection.court_id, [{ type: "user", id: input.responsibleUserId }]);
  if (input.complaintId) {
    const complaint = await loadComplaint(tx, ctx.actor, input.complaintId);
    if (complaint.court_id !== inspection.court_id) throw notFound("The complaint");
  }
  const id = crypto.randomUUID();
  await inspectionsStore.insertFinding(tx, {
    id,
    court_id: inspection.court_id,
    inspection_id: inspection.id,
    category: input.category,
    description: input.description,
    severity: input.severity,
    entities: input.entities,
    responsible_user_id: input.responsibleUserId ?? null,
    complaint_id: input.complaintId ?? null,
    found_on: input.foundOn,
    rectify_by: input.rectifyBy,
    created_by: ctx.actor.id,
  });
  const finding = await present(tx, id, ctx.today);
  ctx.audit.record({
    action: "finding.created",
    entityType: "finding",
    entityId: id,
    courtId: inspection.court_id,
    data: { inspectionId, category: input.category, severity: input.severity, entities: input.entities, responsibleUserId: finding.responsibleUserId, complaintId: finding.complaintId, foundOn: input.foundOn, rectifyBy: input.rectifyBy, after: { status: "open" } },
  });
  return finding;
}

async function lockFinding(ctx: WriteContext, id: string): Promise<FindingRow> {
  const f = await inspectionsStore.lockFinding(ctx.db, id);
  if (!f) throw notFound("The finding");
  assertCourtAccess(ctx.actor, f.court_id, "The finding");
  return f;
}

/** The court answers: a progress report (rectifying) or, with `completedOn`, the rectification done (rectified). */
export async function createRectification(ctx: WriteContext, findingId: string, input: RectificationCreateInput): Promise<Schemas["Finding"]> {
  const tx = ctx.db;
  const f = await lockFinding(ctx, findingId);
  if (f.status === "verified") throw invalidState("The finding is verified: it takes no further answer");
  if (f.status === "rectified") throw invalidState("The finding is rectified and waits for the inspector's verification");
  if (input.completedOn !== undefined && (input.completedOn > ctx.today || input.completedOn < f.found_on)) {
    throw validationFailed([{ path: "body.completedOn", message: `must be between foundOn (${f.found_on}) and today` }]);
  }
  const next: FindingStatus = input.completedOn === undefined ? "rectifying" : "rectified";
  const id = crypto.randomUUID();
  await inspectionsStore.insertRectification(tx, {
    id,
    court_id: f.court_id,
    finding_id: f.id,
    description: input.description,
    evidence: input.evidence,
    completed_on: input.completedOn ?? null,
    created_by: ctx.actor.id,
  });
  if (next !== f.status) await inspectionsStore.setStatus(tx, f.id, next, null);
  const finding = await present(tx, f.id, ctx.today);
  ctx.audit.record({
    action: "finding.rectification_recorded",
    entityType: "finding",
    entityId: f.id,
    courtId: f.court_id,
    data: { rectificationId: id, completedOn: input.completedOn ?? null, evidenceCount: input.evidence.length, before: { status: f.status }, after: { status: next } },
  });
  return finding;
}

/** The inspector accepts (verified) or reopens a rectified finding; never a rectification they wrote. */
export async function verifyFinding(ctx: WriteContext, findingId: string, input: FindingVerifyInput): Promise<Schemas["Finding"]> {
  const tx = ctx.db;
  const f = await lockFinding(ctx, findingId);
  if (f.status !== "rectified") throw invalidState(`The finding is ${f.status}: only a rectified finding is verified`);
  const rects = await inspectionsStore.rectificationsOf(tx, [f.id]);
  const last = rects.at(-1);
  if (!last) throw invalidState("The finding has no rectification to verify");
  if (last.created_by === ctx.actor.id) throw samePerson("You wrote this rectification: another inspector verifies it");
  const next: FindingStatus = input.accepted ? "verified" : "reopened";
  const id = crypto.randomUUID();
  await inspectionsStore.insertVerification(tx, { id, court_id: f.court_id, finding_id: f.id, rectification_id: last.id, accepted: input.accepted, note: input.note, created_by: ctx.actor.id });
  await inspectionsStore.setStatus(tx, f.id, next, input.accepted ? ctx.actor.id : null);
  const finding = await present(tx, f.id, ctx.today);
  ctx.audit.record({
    action: input.accepted ? "finding.verified" : "finding.reopened",
    entityType: "finding",
    entityId: f.id,
    courtId: f.court_id,
    data: { verificationId: id, rectificationId: last.id, accepted: input.accepted, before: { status: f.status }, after: { status: next } },
  });
  return finding;
}

/** The findings list, a page at a time (by foundOn; the cursor is the last row's foundOn, created_at and id). */
export async function listFindings(ctx: ReadContext, query: FindingListQuery): Promise<Page<Schemas["Finding"]>> {
  let courtIds = courtsInScope(ctx.actor, query.courtId);
  if (query.inspectionId) courtIds = [(await loadInspection(ctx.db, ctx.actor, query.inspectionId)).court_id].filter((c) => courtIds.includes(c));
  const after = decodeCursor(query.cursor, ["date", "timestamp", "uuid"]);
  const filter = { courtIds, inspectionId: query.inspectionId, status: query.status, today: ctx.today, page: { after, limit: query.limit } };
  const rows = await inspectionsStore.listFindings(ctx.db, filter);
  const page = toPage(rows, query.limit, (r) => [r.found_on, r.cursor_at, r.id], (r) => r);
  return { data: await toFindings(ctx.db, page.data, ctx.today), nextCursor: page.nextCursor };
}

async function toFindings(knex: Knex, rows: FindingRow[], today: string): Promise<Schemas["Finding"][]> {
  const ids = rows.map((r) => r.id);
  const [rects, vers] = await Promise.all([inspectionsStore.rectificationsOf(knex, ids), inspectionsStore.verificationsOf(knex, ids)]);
  return rows.map((r) =>
    toFinding(
      r,
      rects.filter((x) => x.finding_id === r.id),
      vers.filter((x) => x.finding_id === r.id),
      today,
    ),
  );
}

