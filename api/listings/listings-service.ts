import crypto from "node:crypto";
import type { Knex } from "knex";
import type { AuditRecord, ReadContext, WriteContext } from "../core/operation";
import { loadWorkingCalendar } from "../calendar/calendar-service";
import { assertCourtAccess, courtsInScope } from "../core/court-scope";
import type { Actor } from "../core/actor";
import { conflict, invalidState, notFound, validationFailed } from "../core/errors";
import { decodeCursor, encodeCursor, type Page } from "../core/pagination";
import { presentListings, type Listing } from "./listing-presenter";
import { RELISTING_BAR_MONTHS, birthDateFromIdNumber, expiresOnFor, isMinorOn } from "./listing-rules";
import type { ListingCreateInput, ListingListQuery } from "./listings.schemas";
import { caseFactsStore } from "./case-facts-store";
import { listingsStore, type ListingView } from "./listings-store";
import { checkRealDate } from "./real-dates";
import { amountOwedOn, performanceFacts } from "../ledger/performance";
import { formatMoney } from "../core/money";

export const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === "23505";

export const dateError = (path: string, message: string) => validationFailed([{ path, message }], `${path} ${message}`);

export async function loadListing(knex: Knex, actor: Actor, id: string): Promise<ListingView> {
  const l = await listingsStore.find(knex, id);
  if (!l) throw notFound("The listing");
  assertCourtAccess(actor, l.court_id, "The listing");
  return l;
}

/** The listing as every listing action answers it. */
export async function presentListing(knex: Knex, id: string, today: string): Promise<Listing> {
  const row = await listingsStore.find(knex, id);
  if (!row) throw notFound("The listing");
  const [listing] = await presentListings(knex, [row], await loadWorkingCalendar(knex), today);
  return listing;
}

export async function getListing(ctx: ReadContext, id: string): Promise<Listing> {
  await loadListing(ctx.db, ctx.actor, id);
  return presentListing(ctx.db, id, ctx.today);
}

export function auditOf(l: { id: string; court_id: string }, action: string, data: Record<string, unknown>): AuditRecord {
  return { action, entityType: "listing", entityId: l.id, courtId: l.court_id, data };
}

/**
 * 失信规定 art. 3 (二): a debtor whose frozen, seized or attached property already suffices to pay
 * the debt is not listed as able but refusing (art. 1 (一)). Counted: the debtor's freezes in this
 * case active on the decision day with a known amount, against what the case owes that day.
 */
async function refuseWhenFreezesCover(ctx: WriteContext, caseId: string, debtorId: string, on: string): Promise<void> {
  const facts = await performanceFacts(ctx.db, caseId);
  if (!facts) throw notFound("The case");
  const owed = amountOwedOn(facts, on).outstanding;
  const frozen = await caseFactsStore.activeFrozenAmount(ctx.db, { caseId, courtId: facts.courtId, partyId: debtorId, on });
  if (frozen.gt(0) && frozen.gte(owed)) {
    throw invalidState(
      `The debtor's active freezes in this case (${formatMoney(frozen)} yuan) already cover what is owed on ${on} (${formatMoney(owed)} yuan): not listable as able but refusing (失信规定 art. 3 (二))`,
      { reason: "frozen_assets_cover_debt", frozen: formatMoney(frozen), owed: formatMoney(owed) },
    );
  }
}

/** The rules a new listing must pass; each refusal names what is wrong and writes nothing. */
async function checkListable(ctx: WriteContext, input: ListingCreateInput) {
  const tx = ctx.db;
  const c = await caseFactsStore.findCase(tx, input.caseId);
  if (!c) throw notFound("The case");
  assertCourtAccess(ctx.actor, c.court_id, "The case");
  const debtor = await caseFactsStore.partyOfCase(tx, c, input.partyId);
  if (!debtor) throw validationFailed([{ path: "body.partyId", message: "is not a party of this case" }]);
  if (debtor.role !== "debtor") {
    throw validationFailed([{ path: "body.partyId", message: "is an applicant of the case: only a debtor can be listed" }], "Only a debtor of the case can be listed");
  }
  if (input.applicantId !== undefined) {
    const applicant = await caseFactsStore.partyOfCase(tx, c, input.applicantId);
    if (applicant?.role !== "applicant") throw validationFailed([{ path: "body.applicantId", message: "is not an applicant of this case" }]);
  }
  checkRealDate({ path: "body.decidedOn", date: input.decidedOn, today: ctx.today, notBefore: { date: c.filed_on, what: "the case was filed" }, note: { value: input.note, path: "body.note" } });
  if (c.status !== "open") throw invalidState("The case is closed: its debtors cannot be listed");
  if (c.fully_performed_on !== null) throw invalidState(`The case was fully performed on ${c.fully_performed_on}: its debtors cannot be listed`);
  const birthDate = debtor.kind === "person" ? birthDateFromIdNumber(debtor.id_number) : null;
  if (birthDate !== null && isMinorOn(birthDate, input.decidedOn)) {
    throw invalidState(`The debtor was under 18 on ${input.decidedOn}: a minor is never listed`, { reason: "minor" });
  }
  if (input.ground === "able_but_refuses") await refuseWhenFreezesCover(ctx, c.id, debtor.id, input.decidedOn);
  if (input.applicantId !== undefined) {
    const barred = await listingsStore.recentApplicantRemoval(tx, {
      courtId: c.court_id,
      partyId: debtor.id,
      applicantId: input.applicantId,
      decidedOn: input.decidedOn,
      months: RELISTING_BAR_MONTHS,
    });
    if (barred) {
      throw invalidState(
        `This applicant had the debtor's listing removed on ${barred.removed_on}: the applicant cannot have the debtor listed again within ${RELISTING_BAR_MONTHS} months`,
        { reason: "relisting_barred", removedListingId: barred.id },
      );
    }
  }
  return { c, debtor };
}

export async function createListing(ctx: WriteContext, input: ListingCreateInput): Promise<Listing> {
  const tx = ctx.db;
  const { c, debtor } = await checkListable(ctx, input);
  const audit: AuditRecord[] = [];
  // A listing whose term has ended no longer counts as live: store that before listing again.
  for (const id of await listingsStore.storeExpired(tx, { courtId: c.court_id, partyId: debtor.id, today: ctx.today })) {
    audit.push(auditOf({ id, court_id: c.court_id }, "listing.expired", { reason: "term ended; the debtor is being listed again" }));
  }
  const live = await listingsStore.liveOf(tx, { courtId: c.court_id, partyId: debtor.id });
  if (live) throw conflict("The debtor already has an active listing in this case", { listingId: live.id });

  const id = crypto.randomUUID();
  const expiresOn = expiresOnFor(input.ground, input.decidedOn, input.extensionYears);
  try {
    await listingsStore.insert(tx, {
      id,
      court_id: c.court_id,
      case_id: c.id,
      party_id: debtor.id,
      applicant_id: input.applicantId ?? null,
      ground: input.ground,
      decision_number: input.decisionNumber,
      decided_on: input.decidedOn,
      extension_years: input.extensionYears ?? null,
      expires_on: expiresOn,
      decision_note: input.note ?? null,
      created_by: ctx.actor.id,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("The debtor already has an active listing in this case");
    throw err;
  }
  const listing = await presentListing(tx, id, ctx.today);
  audit.push(
    auditOf({ id, court_id: c.court_id }, "listing.created", {
      caseId: c.id,
      partyId: debtor.id,
      applicantId: input.applicantId ?? null,
      ground: input.ground,
      decisionNumber: input.decisionNumber,
      decidedOn: input.decidedOn,
      extensionYears: input.extensionYears ?? null,
      expiresOn,
      note: input.note ?? null,
    }),
  );
  ctx.audit.record(...audit);
  return listing;
}

export async function listListings(ctx: ReadContext, query: ListingListQuery): Promise<Page<Listing>> {
  const knex = ctx.db;
  const courtIds = courtsInScope(ctx.actor, query.courtId);
  const calendar = await loadWorkingCalendar(knex);
  const byDeadline = query.removalDue !== undefined || query.removalOverdue !== undefined;
  const wanted = (l: Listing) =>
    (query.removalDue === undefined || query.removalDue === (l.removalDueBy !== null && l.removalCompletedOn === null)) &&
    (query.removalOverdue === undefined || query.removalOverdue === l.removalOverdue);
  // Deadlines are computed in code, so a deadline filter reads on in chunks until the page is full.
  const chunk = byDeadline ? Math.max(ctx.config.scanRows.listings, 2) : query.limit + 1;
  const found: Listing[] = [];
  let after = decodeCursor(query.cursor, ["date", "uuid"]);
  for (;;) {
    const rows = await listingsStore.list(knex, {
      courtIds,
      caseId: query.caseId,
      status: query.status,
      name: query.name,
      withRemovalTrigger: query.removalDue === true || query.removalOverdue === true,
      today: ctx.today,
      after,
      limit: chunk,
    });
    const listings = await presentListings(knex, rows, calendar, ctx.today);
    found.push(...listings.filter(wanted));
    if (found.length > query.limit || rows.length < chunk) break;
    const last = rows[rows.length - 1];
    after = [last.decided_on, last.id];
  }
  const data = found.slice(0, query.limit);
  const lastShown = data[data.length - 1];
  return { data, nextCursor: found.length > query.limit ? encodeCursor([lastShown.decidedOn, lastShown.id]) : null };
}
