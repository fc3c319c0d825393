import crypto from "node:crypto";
import type { WriteContext } from "../core/operation";
import { loadWorkingCalendar } from "../calendar/calendar-service";
import { addDays } from "../core/dates";
import { assertCourtAccess } from "../core/court-scope";
import { invalidState, notFound } from "../core/errors";
import type { Listing } from "./listing-presenter";
import { OBJECTION_REVIEW_DAYS, REMOVAL_WORKING_DAYS } from "./listing-rules";
import type { ObjectionCreateInput, ObjectionDecisionInput } from "./listings.schemas";
import { listingsStore } from "./listings-store";
import { checkRealDate } from "./real-dates";
import { loadListing, presentListing } from "./listings-service";

/**
 * A listed person's written objection (纠正申请) is reviewed within 15 days of receipt; an upheld
 * one must be acted on within 3 working days. One asking for removal feeds the listing's
 * `removalDueBy`.
 */
export async function recordObjection(ctx: WriteContext, listingId: string, input: ObjectionCreateInput): Promise<Listing> {
  const tx = ctx.db;
  const l = await loadListing(tx, ctx.actor, listingId);
  await listingsStore.lock(tx, listingId);
  checkRealDate({ path: "body.receivedOn", date: input.receivedOn, today: ctx.today, notBefore: { date: l.decided_on, what: "the listing decision" }, note: { value: input.note, path: "body.note" } });
  const id = crypto.randomUUID();
  const reviewDueBy = addDays(input.receivedOn, OBJECTION_REVIEW_DAYS);
  await listingsStore.insertObjection(tx, {
    id,
    court_id: l.court_id,
    listing_id: listingId,
    received_on: input.receivedOn,
    reason: input.reason,
    note: input.note,
    review_due_by: reviewDueBy,
    created_by: ctx.actor.id,
  });
  const listing = await presentListing(tx, listingId, ctx.today);
  ctx.audit.record({
    action: "objection.recorded",
    entityType: "objection",
    entityId: id,
    courtId: l.court_id,
    data: { listingId, receivedOn: input.receivedOn, reason: input.reason, reviewDueBy },
  });
  return listing;
}

export async function decideObjection(ctx: WriteContext, objectionId: string, input: ObjectionDecisionInput): Promise<Listing> {
  const tx = ctx.db;
  const found = await listingsStore.lockObjection(tx, objectionId);
  if (!found) throw notFound("The objection");
  assertCourtAccess(ctx.actor, found.court_id, "The objection");
  if (found.status !== "pending") throw invalidState(`The objection was already decided on ${found.decided_on}`);
  if (ctx.today < found.received_on) throw invalidState("The objection was received after today");
  const actionDueBy = input.upheld ? (await loadWorkingCalendar(tx)).workingDayAfter(ctx.today, REMOVAL_WORKING_DAYS).date : null;
  await listingsStore.decideObjection(tx, objectionId, {
    status: input.upheld ? "upheld" : "rejected",
    decided_on: ctx.today,
    decision_note: input.note,
    decided_by: ctx.actor.id,
    action_due_by: actionDueBy,
  });
  const listing = await presentListing(tx, found.listing_id, ctx.today);
  ctx.audit.record({
    action: "objection.decided",
    entityType: "objection",
    entityId: objectionId,
    courtId: found.court_id,
    data: { listingId: found.listing_id, upheld: input.upheld, note: input.note, decidedOn: ctx.today, actionDueBy },
  });
  return listing;
}
