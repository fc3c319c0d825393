import type { Knex } from "knex";
import { EFFECTIVE_STATUS_SQL, escapeLike, mayHaveRemovalDeadline } from "./listing-sql";
import type { ListingGround, ListingStatus, RemovalGround } from "./listings.schemas";

export interface ListingRow {
  id: string;
  court_id: string;
  case_id: string;
  party_id: string;
  applicant_id: string | null;
  ground: ListingGround;
  decision_number: string;
  decided_on: string;
  extension_years: number | null;
  expires_on: string | null;
  status: ListingStatus;
  removal_ground: RemovalGround | null;
  removal_note: string | null;
  removal_applicant_id: string | null;
  removal_requested_by: string | null;
  removal_requested_at: Date | null;
  removal_requested_on: string | null;
  removal_approved_by: string | null;
  removed_on: string | null;
  decision_note: string | null;
  removal_approved_at: Date | null;
  created_at: Date;
  created_by: string;
}

/** A listing with what it shows of its case and debtor. */
export interface ListingView extends ListingRow {
  case_number: string;
  debtor_name: string;
  debtor_kind: "person" | "organization";
  debtor_id_number: string | null;
  fully_performed_on: string | null;
  closure_type: string | null;
  closed_on: string | null;
}

export interface PublicationRow {
  id: string;
  court_id: string;
  listing_id: string;
  channel: "court_website" | "national_portal" | "new_media" | "newspaper" | "other";
  published_on: string;
  reference: string | null;
  note: string | null;
  withdrawn_on: string | null;
  created_at: Date;
}

export interface ObjectionRow {
  id: string;
  court_id: string;
  listing_id: string;
  received_on: string;
  reason: "should_not_be_listed" | "inaccurate" | "should_be_removed";
  note: string;
  review_due_by: string;
  status: "pending" | "upheld" | "rejected";
  decided_on: string | null;
  decision_note: string | null;
  decided_by: string | null;
  action_due_by: string | null;
  created_at: Date;
}

export interface ListingFilter {
  courtIds: string[];
  caseId?: string;
  status?: ListingStatus;
  name?: string;
  /** Only listings that can have a removal deadline (a cheap superset; the exact test is in code). */
  withRemovalTrigger?: boolean;
  today: string;
  after: string[] | null;
  limit: number;
}


function viewQuery(knex: Knex) {
  return knex("listings as l")
    .join("cases as c", (j) => j.on("c.court_id", "l.court_id").andOn("c.id", "l.case_id"))
    .join("parties as p", "p.id", "l.party_id")
    .leftJoin("case_balances as b", (j) => j.on("b.court_id", "l.court_id").andOn("b.case_id", "l.case_id"))
    .select<ListingView[]>(
      "l.*",
      "c.case_number",
      "p.name as debtor_name",
      "p.kind as debtor_kind",
      "p.id_number as debtor_id_number",
      "b.fully_performed_on",
      "c.closure_type",
      "c.closed_on",
    );
}

export const listingsStore = {
  async find(knex: Knex, id: string): Promise<ListingView | undefined> {
    const rows = await viewQuery(knex).where("l.id", id);
    return rows[0];
  },

  /** Locks the listing row alone (not the case or party it joins) for the rest of the transaction. */
  async lock(tx: Knex.Transaction, id: string): Promise<ListingRow | undefined> {
    return tx("listings").where({ id }).forUpdate().first<ListingRow | undefined>();
  },

  async insert(tx: Knex.Transaction, row: Omit<ListingRow, "status" | "created_at" | `removal_${string}` | "removed_on">): Promise<void> {
    await tx("listings").insert(row);
  },

  async update(tx: Knex.Transaction, id: string, changes: Partial<ListingRow>): Promise<void> {
    await tx("listings").where({ id }).update(changes);
  },

  /**
   * A removal request undone, the one place that does it: the listings are `active` again and the
   * request's fields cleared (an approver rejected it, or the case is no longer fully performed).
   */
  async clearRemovalRequest(tx: Knex.Transaction, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx("listings").whereIn("id", ids).update({
      status: "active",
      removal_ground: null,
      removal_note: null,
      removal_applicant_id: null,
      removal_requested_by: null,
      removal_requested_at: null,
      removal_requested_on: null,
    });
  },

  /** The case's listings whose removal waits for approval on the ground "fully performed", locked. */
  async lockFullyPerformedRemovals(tx: Knex.Transaction, c: { courtId: string; caseId: string }): Promise<Pick<ListingRow, "id" | "removal_requested_by">[]> {
    return tx("listings")
      .where({ court_id: c.courtId, case_id: c.caseId, status: "removal_pending", removal_ground: "fully_performed" })
      .forUpdate()
      .select<Pick<ListingRow, "id" | "removal_requested_by">[]>("id", "removal_requested_by");
  },

  /** Listings of the debtor still stored as live whose term has ended: they become `expired` for good. */
  async storeExpired(tx: Knex.Transaction, opts: { courtId: string; partyId: string; today: string }): Promise<string[]> {
    const rows = await tx("listings")
      .where({ court_id: opts.courtId, party_id: opts.partyId })
      .whereIn("status", ["active", "removal_pending"])
      .where("expires_on", "<", opts.today)
      .update({ status: "expired" })
      .returning<{ id: string }[]>("id");
    return rows.map((r) => r.id);
  },

  async liveOf(tx: Knex.Transaction, opts: { courtId: string; partyId: string }): Promise<ListingRow | undefined> {
    return tx("listings").where({ court_id: opts.courtId, party_id: opts.partyId }).whereIn("status", ["active", "removal_pending"]).first<ListingRow | undefined>();
  },

  /** A removal on this applicant's request less than 6 months before `decidedOn`. */
  async recentApplicantRemoval(
    knex: Knex,
    opts: { courtId: string; partyId: string; applicantId: string; decidedOn: string; months: number },
  ): Promise<ListingRow | undefined> {
    return knex("listings")
      .where({ court_id: opts.courtId, party_id: opts.partyId, status: "removed", removal_ground: "applicant_request", removal_applicant_id: opts.applicantId })
      .whereRaw(`removed_on + make_interval(months => ?) > ?::date`, [opts.months, opts.decidedOn])
      .orderBy("removed_on", "desc")
      .first<ListingRow | undefined>();
  },

  /** Newest decision first; keyset on (decided_on, id). */
  async list(knex: Knex, f: ListingFilter): Promise<ListingView[]> {
    const q = viewQuery(knex)
      .whereIn("l.court_id", f.courtIds)
      .orderBy([
        { column: "l.decided_on", order: "desc" },
        { column: "l.id", order: "desc" },
      ])
      .limit(f.limit);
    if (f.caseId) q.where("l.case_id", f.caseId);
    if (f.status) q.whereRaw(`${EFFECTIVE_STATUS_SQL} = ?`, [f.today, f.status]);
    if (f.name) q.whereRaw(`p.name LIKE ? ESCAPE '\\'`, [`${escapeLike(f.name)}%`]);
    if (f.withRemovalTrigger) q.where((w) => mayHaveRemovalDeadline(w, knex, f.today));
    if (f.after) q.whereRaw("(l.decided_on, l.id) < (?::date, ?::uuid)", f.after);
    return q;
  },

  async publicationsOf(knex: Knex, listingIds: string[]): Promise<PublicationRow[]> {
    if (listingIds.length === 0) return [];
    return knex("listing_publications").whereIn("listing_id", listingIds).orderBy([{ column: "published_on" }, { column: "created_at" }, { column: "id" }]);
  },

  async findPublication(tx: Knex.Transaction, listingId: string, publicationId: string): Promise<PublicationRow | undefined> {
    return tx("listing_publications").where({ id: publicationId, listing_id: listingId }).forUpdate().first<PublicationRow | undefined>();
  },

  async insertPublication(tx: Knex.Transaction, row: Omit<PublicationRow, "created_at" | "withdrawn_on"> & { created_by: string }): Promise<void> {
    await tx("listing_publications").insert(row);
  },

  async withdrawPublication(tx: Knex.Transaction, id: string, changes: { withdrawn_on: string; withdrawn_by: string }): Promise<void> {
    await tx("listing_publications").where({ id }).update({ ...changes, withdrawn_at: tx.fn.now() });
  },

  async objectionsOf(knex: Knex, listingIds: string[]): Promise<ObjectionRow[]> {
    if (listingIds.length === 0) return [];
    return knex("listing_objections").whereIn("listing_id", listingIds).orderBy([{ column: "received_on" }, { column: "created_at" }, { column: "id" }]);
  },

  async lockObjection(tx: Knex.Transaction, id: string): Promise<ObjectionRow | undefined> {
    return tx("listing_objections").where({ id }).forUpdate().first<ObjectionRow | undefined>();
  },

  async insertObjection(tx: Knex.Transaction, row: Omit<ObjectionRow, "created_at" | "status" | "decided_on" | "decision_note" | "decided_by" | "action_due_by"> & { created_by: string }): Promise<void> {
    await tx("listing_objections").insert(row);
  },

  async decideObjection(
    tx: Knex.Transaction,
    id: string,
    changes: { status: "upheld" | "rejected"; decided_on: string; decision_note: string; decided_by: string; action_due_by: string | null },
  ): Promise<void> {
    await tx("listing_objections").where({ id }).update({ ...changes, decided_at: tx.fn.now() });
  },
};
