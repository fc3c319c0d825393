import { addDays, addYears, isValidDate } from "../core/dates";
import type { WorkingCalendar } from "../calendar/working-calendar";
import type { ListingGround, ListingStatus, RemovalGround } from "./listings.schemas";

/**
 * The rules of the dishonest-debtor list that need no database: terms, minors, and the removal
 * deadline. Everything here is computed from stored facts and today's date, so a listing reacts at
 * once when a receipt completes its case, and nothing depends on a job having run.
 */

/** Statutory term, in years; `able_but_refuses` has none (最高法《关于公布失信被执行人名单信息的若干规定》第二条). */
export const BASE_TERM_YEARS = 2;

/** Working days allowed to remove a listing (同规定第十条), or to act on an upheld objection (第十二条). */
export const REMOVAL_WORKING_DAYS = 3;

/** An objection is reviewed within 15 days of receipt; an upheld one is acted on within 3 working days (同规定第十二条). */
export const OBJECTION_REVIEW_DAYS = 15;

/** After a removal on the applicant's request, that applicant cannot have the debtor listed again for 6 months (第十条). */
export const RELISTING_BAR_MONTHS = 6;

/** Last day of the term: the corresponding day `2 + extensionYears` years on (民法典第二百零一、二百零二条). */
export function expiresOnFor(ground: ListingGround, decidedOn: string, extensionYears: number | undefined): string | null {
  if (ground === "able_but_refuses") return null;
  return addYears(decidedOn, BASE_TERM_YEARS + (extensionYears ?? 0));
}

/**
 * The birth date inside a resident id number: characters 7–14 of an 18-character number, or
 * 19 + characters 7–12 of an old 15-digit one. Null when there is none to read.
 */
export function birthDateFromIdNumber(idNumber: string | null): string | null {
  if (idNumber === null) return null;
  const id = idNumber.trim();
  let digits: string | null = null;
  if (/^\d{17}[\dXx]$/.test(id)) digits = id.slice(6, 14);
  else if (/^\d{15}$/.test(id)) digits = `19${id.slice(6, 12)}`;
  if (digits === null) return null;
  const date = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  return isValidDate(date) ? date : null;
}

/** Minors are never listed (同规定第四条). Under 18 on `on`: the 18th birthday is still to come (a 29 February birthday turns 18 on 28 February). */
export function isMinorOn(birthDate: string, on: string): boolean {
  return on < addYears(birthDate, 18);
}

/** `expired` is not stored as it happens: a listing with a term is expired from the day after `expiresOn`. */
export function effectiveStatus(stored: ListingStatus, expiresOn: string | null, today: string): ListingStatus {
  if ((stored === "active" || stored === "removal_pending") && expiresOn !== null && today > expiresOn) return "expired";
  return stored;
}

export type RemovalDueReason = "fully_performed" | "term_ended" | "removed" | "objection_upheld" | "case_terminated" | "removal_requested";

/**
 * The grounds of 失信规定 art. 10 ¶1 (一)–(七) as removal grounds: once one holds, a listing
 * without a term is removed within 3 working days. `listed_in_error` is not among them (that is a
 * correction, art. 12).
 */
export const ARTICLE_10_GROUNDS: readonly RemovalGround[] = [
  "fully_performed",
  "settlement_performed",
  "applicant_request",
  "no_assets_found",
  "execution_suspended",
  "enforcement_refused",
  "enforcement_terminated",
];

/** Case closures that are 终结执行 (art. 10 ¶1 (七)): termination, and the applicant's withdrawal (民诉法 art. 268 (一)). */
export const TERMINATING_CLOSURES = ["terminated", "withdrawn"] as const;

export interface ListingFacts {
  status: ListingStatus;
  expiresOn: string | null;
  removedOn: string | null;
  fullyPerformedOn: string | null;
  /** How and when the case was closed; null while it is open. */
  caseClosure?: { type: string; closedOn: string } | null;
  /** A removal requested (pending or done): its ground and the real date of the request. */
  removalRequest?: { ground: RemovalGround; requestedOn: string } | null;
  publications: { withdrawnOn: string | null }[];
  objections: { status: "pending" | "upheld" | "rejected"; reason: string; actionDueBy: string | null }[];
}

export interface ListingDeadlines {
  status: ListingStatus;
  removalDueBy: string | null;
  removalDueReason: RemovalDueReason | null;
  removalOverdue: boolean;
  removalCompletedOn: string | null;
  removalOnTime: boolean | null;
  calendarKnown: boolean;
}

/**
 * When the listing must be off the list and every channel it was published on (失信规定 art. 10).
 *
 * A listing WITHOUT a term (¶1): the 3rd working day after the first art. 10 ¶1 ground the system
 * knows of — the case fully performed (by the ledger), closed as 终结执行 (terminated or withdrawn,
 * (七)), or a removal requested on a ¶1 ground (the ground was put to the court that day).
 * A listing WITH a term (¶2 "有纳入期限的，不适用前款规定"): none of those; only the 3rd working day
 * after its term ended. Either way, a removal (its publications must follow) and an upheld
 * objection asking for removal have their own deadlines; the earliest counts. Complete on the day
 * it was removed or expired and the last publication was withdrawn; overdue while it is not
 * complete and the due day has passed.
 */
export function listingDeadlines(facts: ListingFacts, calendar: WorkingCalendar, today: string): ListingDeadlines {
  const status = effectiveStatus(facts.status, facts.expiresOn, today);
  const withoutTerm = facts.expiresOn === null;
  let calendarKnown = true;
  const candidates: { date: string; reason: RemovalDueReason }[] = [];
  const afterWorkingDays = (date: string, reason: RemovalDueReason) => {
    const answer = calendar.workingDayAfter(date, REMOVAL_WORKING_DAYS);
    calendarKnown &&= answer.calendarKnown;
    candidates.push({ date: answer.date, reason });
  };
  if (withoutTerm) {
    if (facts.fullyPerformedOn !== null) afterWorkingDays(facts.fullyPerformedOn, "fully_performed");
    const closure = facts.caseClosure ?? null;
    if (closure !== null && (TERMINATING_CLOSURES as readonly string[]).includes(closure.type)) afterWorkingDays(closure.closedOn, "case_terminated");
    const request = facts.removalRequest ?? null;
    if (request !== null && ARTICLE_10_GROUNDS.includes(request.ground) && request.ground !== "fully_performed") {
      afterWorkingDays(request.requestedOn, "removal_requested");
    }
  }
  if (status === "expired" && facts.expiresOn !== null) afterWorkingDays(facts.expiresOn, "term_ended");
  if (status === "removed" && facts.removedOn !== null) afterWorkingDays(facts.removedOn, "removed");
  for (const o of facts.objections) {
    if (o.status === "upheld" && o.actionDueBy !== null && o.reason !== "inaccurate") {
      candidates.push({ date: o.actionDueBy, reason: "objection_upheld" });
    }
  }
  const due = candidates.reduce<(typeof candidates)[number] | null>((a, b) => (a === null || b.date < a.date ? b : a), null);

  let completedOn: string | null = null;
  const endedOn = status === "removed" ? facts.removedOn : status === "expired" && facts.expiresOn ? addDays(facts.expiresOn, 1) : null;
  if (endedOn !== null && facts.publications.every((p) => p.withdrawnOn !== null)) {
    completedOn = facts.publications.reduce((latest, p) => (p.withdrawnOn! > latest ? p.withdrawnOn! : latest), endedOn);
  }
  return {
    status,
    removalDueBy: due?.date ?? null,
    removalDueReason: due?.reason ?? null,
    removalOverdue: due !== null && completedOn === null && today > due.date,
    removalCompletedOn: completedOn,
    removalOnTime: due !== null && completedOn !== null ? completedOn <= due.date : null,
    calendarKnown,
  };
}
