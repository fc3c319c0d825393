import type { Knex } from "knex";
import { maskIdNumber } from "../core/masking";
import type { WorkingCalendar } from "../calendar/working-calendar";
import type { Schemas } from "../core/schemas";
import { listingDeadlines } from "./listing-rules";
import { listingsStore, type ListingView, type ObjectionRow, type PublicationRow } from "./listings-store";

export type { ListingView };

export type Listing = Schemas["Listing"];

function toObjection(o: ObjectionRow, today: string): Schemas["Objection"] {
  return {
    id: o.id,
    listingId: o.listing_id,
    receivedOn: o.received_on,
    reason: o.reason,
    note: o.note,
    status: o.status,
    reviewDueBy: o.review_due_by,
    reviewOverdue: o.status === "pending" && today > o.review_due_by,
    decidedOn: o.decided_on,
    decidedBy: o.decided_by,
    decisionNote: o.decision_note,
    actionDueBy: o.action_due_by,
  };
}

export function toListing(l: ListingView, pubs: PublicationRow[], objections: ObjectionRow[], calendar: WorkingCalendar, today: string): Listing {
  const d = listingDeadlines(
    {
      status: l.status,
      expiresOn: l.expires_on,
      removedOn: l.removed_on,
      fullyPerformedOn: l.fully_performed_on,
      caseClosure: l.closure_type !== null && l.closed_on !== null ? { type: l.closure_type, closedOn: l.closed_on } : null,
      removalRequest: l.removal_ground !== null && l.removal_requested_on !== null ? { ground: l.removal_ground, requestedOn: l.removal_requested_on } : null,
      publications: pubs.map((p) => ({ withdrawnOn: p.withdrawn_on })),
      objections: objections.map((o) => ({ status: o.status, reason: o.reason, actionDueBy: o.action_due_by })),
    },
    calendar,
    today,
  );
  const ended = d.status === "removed" || d.status === "expired";
  return {
    id: l.id,
    courtId: l.court_id,
    caseId: l.case_id,
    caseNumber: l.case_number,
    partyId: l.party_id,
    debtorName: l.debtor_name,
    debtorKind: l.debtor_kind,
    idNumberMasked: maskIdNumber(l.debtor_id_number),
    applicantId: l.applicant_id,
    ground: l.ground,
    decisionNumber: l.decision_number,
    decisionNote: l.decision_note,
    decidedOn: l.decided_on,
    extensionYears: l.extension_years,
    expiresOn: l.expires_on,
    status: d.status,
    fullyPerformedOn: l.fully_performed_on,
    removal:
      l.removal_ground === null || l.removal_requested_by === null || l.removal_requested_on === null
        ? null
        : {
            ground: l.removal_ground,
            note: l.removal_note,
            applicantId: l.removal_applicant_id,
            requestedBy: l.removal_requested_by,
            requestedOn: l.removal_requested_on,
            requestedAt: (l.removal_requested_at ?? l.created_at).toISOString(),
            approvedBy: l.removal_approved_by,
            approvedAt: l.removal_approved_at?.toISOString() ?? null,
            removedOn: l.removed_on,
          },
    removalDueBy: d.removalDueBy,
    removalDueReason: d.removalDueReason,
    removalOverdue: d.removalOverdue,
    removalCompletedOn: d.removalCompletedOn,
    removalOnTime: d.removalOnTime,
    calendarKnown: d.calendarKnown,
    publications: pubs.map((p) => ({
      id: p.id,
      channel: p.channel,
      publishedOn: p.published_on,
      reference: p.reference,
      note: p.note,
      recordedAt: p.created_at.toISOString(),
      withdrawnOn: p.withdrawn_on,
      awaitingWithdrawal: ended && p.withdrawn_on === null,
    })),
    objections: objections.map((o) => toObjection(o, today)),
    createdAt: l.created_at.toISOString(),
    createdBy: l.created_by,
  };
}

function groupBy<T extends { listing_id: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(row.listing_id, [...(map.get(row.listing_id) ?? []), row]);
  return map;
}

/** Listings with their publications and objections, in the order given. */
export async function presentListings(knex: Knex, rows: ListingView[], calendar: WorkingCalendar, today: string): Promise<Listing[]> {
  const ids = rows.map((r) => r.id);
  // One after the other: inside a transaction both run on one connection anyway.
  const pubs = groupBy(await listingsStore.publicationsOf(knex, ids));
  const objections = groupBy(await listingsStore.objectionsOf(knex, ids));
  return rows.map((r) => toListing(r, pubs.get(r.id) ?? [], objections.get(r.id) ?? [], calendar, today));
}
