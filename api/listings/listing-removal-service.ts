import type { Knex } from "knex";
import { invalidState, validationFailed } from "../core/errors";
import { requireSecondPerson } from "../core/four-eyes";
import type { WriteContext } from "../core/operation";
import type { Listing } from "./listing-presenter";
import { effectiveStatus } from "./listing-rules";
import type { RemovalApproveInput, RemovalRequestInput } from "./listings.schemas";
import { checkRealDate } from "./real-dates";
import { caseFactsStore } from "./case-facts-store";
import { listingsStore, type ListingRow } from "./listings-store";
import { auditOf, loadListing, presentListing } from "./listings-service";

/**
 * Removal (删除失信信息). `fully_performed` on a listing without a term is a fact the system can
 * check, so it removes at once. Everything else is a decision: it waits in `removal_pending` for
 * an approver who is not the requester. A listing with a term is never removed early without one.
 */
async function lockLive(ctx: WriteContext, id: string): Promise<ListingRow> {
  const tx = ctx.db;
  await loadListing(tx, ctx.actor, id);
  const l = await listingsStore.lock(tx, id);
  if (!l) throw new Error(`listing ${id} vanished under its lock`);
  return l;
}

/** The case's received amount has reached the adjudicated amount; 409 otherwise. */
async function assertFullyPerformed(tx: Knex.Transaction, l: ListingRow): Promise<string> {
  const on = await caseFactsStore.fullyPerformedOnLocked(tx, { id: l.case_id, court_id: l.court_id });
  if (on === null) {
    throw invalidState("The case is not fully performed: its receipts have not reached the adjudicated amount", { reason: "not_fully_performed" });
  }
  return on;
}

export async function requestRemoval(ctx: WriteContext, id: string, input: RemovalRequestInput): Promise<Listing> {
  const tx = ctx.db;
  const l = await lockLive(ctx, id);
  const status = effectiveStatus(l.status, l.expires_on, ctx.today);
  if (status !== "active") {
    throw invalidState(status === "removal_pending" ? "A removal of this listing is already waiting for approval" : `The listing is ${status}`);
  }
  if (input.applicantId !== undefined) {
    const applicant = await caseFactsStore.partyOfCase(tx, { id: l.case_id, court_id: l.court_id }, input.applicantId);
    if (applicant?.role !== "applicant") throw validationFailed([{ path: "body.applicantId", message: "is not an applicant of this case" }]);
  }
  const fullyPerformedOn = input.ground === "fully_performed" ? await assertFullyPerformed(tx, l) : null;
  const requestedOn = input.requestedOn ?? ctx.today;
  checkRealDate({
    path: "body.requestedOn",
    date: requestedOn,
    today: ctx.today,
    notBefore: fullyPerformedOn !== null && fullyPerformedOn > l.decided_on ? { date: fullyPerformedOn, what: "the case was fully performed" } : { date: l.decided_on, what: "the listing decision" },
    note: { value: input.note, path: "body.note" },
  });
  const immediate = input.ground === "fully_performed" && l.expires_on === null;
  await listingsStore.update(tx, id, {
    status: immediate ? "removed" : "removal_pending",
    removal_ground: input.ground,
    removal_note: input.note ?? null,
    removal_applicant_id: input.applicantId ?? null,
    removal_requested_by: ctx.actor.id,
    removal_requested_at: new Date(),
    removal_requested_on: requestedOn,
    removed_on: immediate ? requestedOn : null,
  });
  const listing = await presentListing(tx, id, ctx.today);
  ctx.audit.record(...[
    auditOf(l, immediate ? "listing.removed" : "listing.removal_requested", {
      ground: input.ground,
      note: input.note ?? null,
      applicantId: input.applicantId ?? null,
      fullyPerformedOn,
      requestedOn,
      removedOn: immediate ? requestedOn : null,
      earlyRemovalOfTerm: l.expires_on !== null,
    }),
  ]);
  return listing;
}

async function lockPending(ctx: WriteContext, id: string, what: string): Promise<ListingRow> {
  const l = await lockLive(ctx, id);
  const status = effectiveStatus(l.status, l.expires_on, ctx.today);
  if (status !== "removal_pending") throw invalidState(`The listing is ${status}: there is no removal to ${what}`);
  requireSecondPerson(ctx.actor, [l.removal_requested_by], `The removal was requested by you: another person must ${what} it`);
  return l;
}

export async function approveRemoval(ctx: WriteContext, id: string, input: RemovalApproveInput = {}): Promise<Listing> {
  const tx = ctx.db;
  const l = await lockPending(ctx, id, "approve");
  // A receipt may have been reversed since the request: the fact is checked again.
  if (l.removal_ground === "fully_performed") await assertFullyPerformed(tx, l);
  const removedOn = input.removedOn ?? ctx.today;
  checkRealDate({
    path: "body.removedOn",
    date: removedOn,
    today: ctx.today,
    notBefore: { date: l.removal_requested_on ?? l.decided_on, what: "the removal request" },
    note: { value: input.note, path: "body.note" },
  });
  await listingsStore.update(tx, id, { status: "removed", removal_approved_by: ctx.actor.id, removal_approved_at: new Date(), removed_on: removedOn });
  const listing = await presentListing(tx, id, ctx.today);
  ctx.audit.record(...[
    auditOf(l, "listing.removed", { ground: l.removal_ground, requestedBy: l.removal_requested_by, approvedBy: ctx.actor.id, removedOn, note: input.note ?? null }),
  ]);
  return listing;
}

export async function rejectRemoval(ctx: WriteContext, id: string, reason: string): Promise<Listing> {
  const tx = ctx.db;
  const l = await lockPending(ctx, id, "reject");
  await listingsStore.clearRemovalRequest(tx, [id]);
  const listing = await presentListing(tx, id, ctx.today);
  ctx.audit.record(...[
    auditOf(l, "listing.removal_rejected", { ground: l.removal_ground, note: l.removal_note, requestedBy: l.removal_requested_by, reason }),
  ]);
  return listing;
}

/**
 * A removal waiting for approval on the ground "fully performed" stops when the case is no longer
 * fully performed (its adjudicated amount was corrected upwards, say): each such listing of the case
 * is active again, with a `listing.removal_withdrawn` event giving `reason`. Answers their ids.
 */
export async function withdrawFullyPerformedRemovals(ctx: WriteContext, c: { id: string; court_id: string }, reason: string): Promise<string[]> {
  const pending = await listingsStore.lockFullyPerformedRemovals(ctx.db, { courtId: c.court_id, caseId: c.id });
  await listingsStore.clearRemovalRequest(ctx.db, pending.map((l) => l.id));
  for (const l of pending) {
    ctx.audit.record({
      action: "listing.removal_withdrawn",
      entityType: "listing",
      entityId: l.id,
      courtId: c.court_id,
      data: { caseId: c.id, ground: "fully_performed", requestedBy: l.removal_requested_by, reason },
    });
  }
  return pending.map((l) => l.id);
}
