import crypto from "node:crypto";
import type { Knex } from "knex";
import { hasRole, type Actor } from "../core/actor";
import { assertCourtAccess, courtsInScope } from "../core/court-scope";
import { invalidState, notFound, validationFailed } from "../core/errors";
import type { ReadContext, WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import type { ComplaintCreateInput, ComplaintListQuery, ComplaintReplyInput } from "./inspections.schemas";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import { complaintsStore, type ComplaintRow } from "./complaints-store";

/** A complainant's name is personal data: only inspectors see it whole; others see the surname (张*). */
export function maskName(name: string): string {
  const chars = [...name];
  return chars[0] + "*".repeat(Math.max(1, chars.length - 1));
}

/** Contact details: the last four characters only (`****5678`), for anyone but the inspector who recorded them. */
export const maskContact = (contact: string) => "****" + [...contact].slice(-4).join("");

export const complaintOverdue = (c: ComplaintRow, today: string) => c.status === "received" && today > c.reply_by;

export function toComplaint(c: ComplaintRow, actor: Actor, today: string): Schemas["Complaint"] {
  return {
    id: c.id,
    courtId: c.court_id,
    receivedOn: c.received_on,
    channel: c.channel,
    complainantName: hasRole(actor, "inspector") ? c.complainant_name : maskName(c.complainant_name),
    contact: c.contact === null ? null : hasRole(actor, "inspector") && actor.id === c.created_by ? c.contact : maskContact(c.contact),
    caseId: c.case_id,
    summary: c.summary,
    replyBy: c.reply_by,
    status: c.status,
    overdue: complaintOverdue(c, today),
    repliedOn: c.replied_on,
    outcome: c.outcome,
    createdAt: c.created_at.toISOString(),
    createdBy: c.created_by,
  };
}

export async function loadComplaint(knex: Knex, actor: Actor, id: string): Promise<ComplaintRow> {
  const c = await complaintsStore.find(knex, id);
  if (!c) throw notFound("The complaint");
  assertCourtAccess(actor, c.court_id, "The complaint");
  return c;
}

// The complainant's name never enters the audit trail or the logs: the events carry the complaint's id.
export async function createComplaint(ctx: WriteContext, input: ComplaintCreateInput): Promise<Schemas["Complaint"]> {
  const tx = ctx.db;
  assertCourtAccess(ctx.actor, input.courtId, "The court");
  if (input.receivedOn > ctx.today) throw validationFailed([{ path: "body.receivedOn", message: "must not be in the future" }]);
  if (input.caseId) {
    const c = await tx("cases").where({ id: input.caseId, court_id: input.courtId }).first("id");
    if (!c) throw notFound("The case");
  }
  const row = await complaintsStore.insert(tx, {
    id: crypto.randomUUID(),
    court_id: input.courtId,
    received_on: input.receivedOn,
    channel: input.channel,
    complainant_name: input.complainantName,
    contact: input.contact ?? null,
    case_id: input.caseId ?? null,
    summary: input.summary,
    reply_by: input.replyBy,
    created_by: ctx.actor.id,
  });
  ctx.audit.record({
    action: "complaint.received",
    entityType: "complaint",
    entityId: row.id,
    courtId: row.court_id,
    data: { channel: row.channel, caseId: row.case_id, hasContact: row.contact !== null, receivedOn: row.received_on, replyBy: row.reply_by, after: { status: "received" } },
  });
  return toComplaint(row, ctx.actor, ctx.today);
}

export async function replyToComplaint(ctx: WriteContext, id: string, input: ComplaintReplyInput): Promise<Schemas["Complaint"]> {
  const tx = ctx.db;
  const c = await complaintsStore.lock(tx, id);
  if (!c) throw notFound("The complaint");
  assertCourtAccess(ctx.actor, c.court_id, "The complaint");
  if (c.status === "replied") throw invalidState(`The complaint was answered on ${c.replied_on}`);
  if (input.repliedOn > ctx.today || input.repliedOn < c.received_on) {
    throw validationFailed([{ path: "body.repliedOn", message: `must be between receivedOn (${c.received_on}) and today` }]);
  }
  const row = await complaintsStore.reply(tx, id, { replied_on: input.repliedOn, outcome: input.outcome, replied_by: ctx.actor.id });
  ctx.audit.record({
    action: "complaint.replied",
    entityType: "complaint",
    entityId: id,
    courtId: c.court_id,
    data: { repliedOn: input.repliedOn, onTime: input.repliedOn <= c.reply_by, before: { status: c.status }, after: { status: "replied" } },
  });
  return toComplaint(row, ctx.actor, ctx.today);
}

/** Letters and visits, newest first, a page at a time (the cursor is the last row's receivedOn and id). */
export async function listComplaints(ctx: ReadContext, query: ComplaintListQuery): Promise<Page<Schemas["Complaint"]>> {
  const after = decodeCursor(query.cursor, ["date", "uuid"]);
  const rows = await complaintsStore.list(ctx.db, { courtIds: courtsInScope(ctx.actor, query.courtId), status: query.status, today: ctx.today, page: { after, limit: query.limit } });
  return toPage(rows, query.limit, (r) => [r.received_on, r.id], (r) => toComplaint(r, ctx.actor, ctx.today));
}
