import assert from "node:assert/strict";
import type { Reply } from "../core/reply";
import type { Knex } from "knex";
import { loadWorkingCalendar } from "../calendar/calendar-service";
import { addDays } from "../core/dates";
import type { Schemas } from "../core/schemas";
import { presentListings, type Listing } from "../listings/listing-presenter";
import type { ListingView } from "../listings/listing-presenter";
import { mayHaveRemovalDeadline } from "../listings/listing-sql";
import { LISTING_GROUNDS } from "../listings/listings.schemas";
import { csvExport, xlsxExport } from "./export";
import { isReadSnapshot } from "../core/read-snapshot";

/**
 * The dishonest-debtor list over a period: listings made, publications made, removals completed
 * on time and late, removals that fell due and were not done, and what is still overdue today.
 * Deadlines are computed in code by the listing rules (`listingDeadlines`, through the listing
 * presenter), never re-derived here, so that the report and GET /v1/listings/{id} always agree.
 */

export type DebtorListReport = Schemas["DebtorListReport"];
export type DebtorListItem = Schemas["DebtorListItem"];
type Figures = Omit<Schemas["DebtorListReport"]["byGround"][number], "ground">;

export interface DebtorListParams {
  courtIds: string[];
  from: string;
  to: string;
  /** Today in China: the "now" figures and each listing's status are taken on it. */
  today: string;
  /** Listings read per step (Config.scanRows.debtorList). */
  batchRows: number;
}

export const DEBTOR_LIST_CONVENTIONS: DebtorListReport["conventions"] = {
  period:
    "from and to are both included (China time). A listing counts as listed on its decidedOn, a publication on its publishedOn; a listing decided after to is not in the report.",
  removed:
    "A removal counts in the period of its removalCompletedOn: the day the listing was off the list (removed, or expired the day after expiresOn) and withdrawn from every channel it was published on.",
  onTime: "On time when removalCompletedOn ≤ removalDueBy (the listing's own deadline: 3 working days, official holidays and make-up working days counted); late otherwise.",
  late:
    "dueNotRemoved: a removal due in the period and not complete at the period's end (its last day, or today while the period runs on) is late though not yet removed; a removal due on the last day counts once that day is over.",
  overdueNow: "Removals due on or before to (before the period too) and still not complete today.",
  publicationsNotWithdrawn: "Publications not withdrawn today on listings removed or expired on or before to.",
  records:
    "Computed from the records as they stand when the report is made: a fact recorded late (a withdrawal, a publication recorded after expiry) changes a past period's figures.",
};

/** JSON answers list at most this many listings; the CSV and XLSX have them all. */
export const ITEMS_LIMIT = 500;

/** Listings read and assessed per step; a setting so that a test can make it small. */

/**
 * A removal is due at most 3 working days after the listing ended; no official holiday run makes
 * that more than ~2 weeks. A listing that ended more than this many days before `from`, with every
 * publication withdrawn before `from`, cannot touch the period: the query leaves it out.
 */
const CLOSED_LONG_BEFORE_DAYS = 60;

function candidateQuery(knex: Knex, p: DebtorListParams, after: [string, string] | null, limit: number) {
  const q = knex("listings as l")
    .join("cases as c", (j) => j.on("c.court_id", "l.court_id").andOn("c.id", "l.case_id"))
    .join("parties as p", "p.id", "l.party_id")
    .leftJoin("case_balances as b", (j) => j.on("b.court_id", "l.court_id").andOn("b.case_id", "l.case_id"))
    .select<ListingView[]>("l.*", "c.case_number", "p.name as debtor_name", "p.kind as debtor_kind", "p.id_number as debtor_id_number", "b.fully_performed_on", "c.closure_type", "c.closed_on")
    .whereIn("l.court_id", p.courtIds)
    .where("l.decided_on", "<=", p.to)
    .where((w) =>
      w
        .where("l.decided_on", ">=", p.from)
        .orWhereExists((e) =>
          e.select(knex.raw("1")).from("listing_publications as x").whereRaw("x.court_id = l.court_id AND x.listing_id = l.id AND x.published_on BETWEEN ? AND ?", [p.from, p.to]),
        )
        // A superset of the listings with a removal deadline (the exact test is in code)…
        .orWhere((r) =>
          r
            .where((t) => mayHaveRemovalDeadline(t, knex, p.today))
            // …less those closed long before the period.
            .whereRaw(
              `NOT (coalesce(CASE WHEN l.status = 'removed' THEN l.removed_on WHEN l.expires_on < ?::date THEN l.expires_on + 1 END, ?::date) < ?::date - ${CLOSED_LONG_BEFORE_DAYS}
                AND NOT EXISTS (SELECT 1 FROM listing_publications y WHERE y.court_id = l.court_id AND y.listing_id = l.id AND (y.withdrawn_on IS NULL OR y.withdrawn_on >= ?::date)))`,
              [p.today, p.from, p.from, p.from],
            ),
        ),
    )
    .orderBy([
      { column: "l.decided_on", order: "asc" },
      { column: "l.id", order: "asc" },
    ])
    .limit(limit);
  if (after) q.whereRaw("(l.decided_on, l.id) > (?::date, ?::uuid)", after);
  return q;
}

/** What one listing contributes to the period; null when it touches nothing in it. */
export function assessListing(l: Listing, p: DebtorListParams): DebtorListItem | null {
  const inPeriod = (d: string | null): d is string => d !== null && d >= p.from && d <= p.to;
  const end = p.to < p.today ? p.to : p.today;
  const completeByEnd = l.removalCompletedOn !== null && l.removalCompletedOn <= end;
  const endedOn = l.status === "removed" ? (l.removal?.removedOn ?? null) : l.status === "expired" && l.expiresOn !== null ? addDays(l.expiresOn, 1) : null;

  const listedInPeriod = inPeriod(l.decidedOn);
  const publishedInPeriod = l.publications.filter((x) => inPeriod(x.publishedOn)).length;
  const removedInPeriod = inPeriod(l.removalCompletedOn);
  const dueInPeriod = inPeriod(l.removalDueBy);
  const dueNotRemoved = dueInPeriod && l.removalDueBy! < p.today && !completeByEnd;
  const overdueNow = l.removalOverdue && l.removalDueBy !== null && l.removalDueBy <= p.to;
  const notWithdrawn = endedOn !== null && endedOn <= p.to ? l.publications.filter((x) => x.awaitingWithdrawal).length : 0;
  if (removedInPeriod) assert.notEqual(l.removalOnTime, null, `listing ${l.id}: a completed removal has a deadline`);

  const touched = listedInPeriod || publishedInPeriod > 0 || removedInPeriod || dueInPeriod || overdueNow || notWithdrawn > 0;
  if (!touched) return null;
  return {
    listingId: l.id,
    courtId: l.courtId,
    caseId: l.caseId,
    caseNumber: l.caseNumber,
    debtorName: l.debtorName,
    ground: l.ground,
    decisionNumber: l.decisionNumber,
    decidedOn: l.decidedOn,
    expiresOn: l.expiresOn,
    status: l.status,
    listedInPeriod,
    publishedInPeriod,
    removalDueBy: l.removalDueBy,
    removalDueReason: l.removalDueReason,
    removalCompletedOn: l.removalCompletedOn,
    removalOnTime: l.removalOnTime,
    removedInPeriod,
    dueNotRemoved,
    overdueNow,
    publicationsNotWithdrawn: notWithdrawn,
    calendarKnown: l.calendarKnown,
  };
}

/**
 * The listings touched in the period, oldest decision first, a batch at a time, all read in one
 * read-only snapshot so that the figures and the rows of an export agree.
 */
export async function* debtorListItems(knex: Knex, p: DebtorListParams): AsyncGenerator<DebtorListItem[]> {
  const inSnapshot = isReadSnapshot(knex);
  const tx = await knex.transaction();
  let finished = false;
  try {
    if (!inSnapshot) await tx.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    const calendar = await loadWorkingCalendar(tx);
    const batchRows = Math.max(p.batchRows, 1);
    let after: [string, string] | null = null;
    for (;;) {
      const rows = await candidateQuery(tx, p, after, batchRows);
      const items = (await presentListings(tx, rows, calendar, p.today)).map((l) => assessListing(l, p)).filter((i) => i !== null);
      if (items.length > 0) yield items;
      if (rows.length < batchRows) break;
      const last = rows[rows.length - 1];
      after = [last.decided_on, last.id];
    }
    finished = true;
    await tx.commit();
  } finally {
    if (!finished) await tx.rollback().catch(() => undefined);
  }
}

const zeroFigures = (): Figures => ({
  listed: 0,
  published: 0,
  publishedListings: 0,
  removed: 0,
  removedOnTime: 0,
  removedLate: 0,
  dueNotRemoved: 0,
  overdueNow: 0,
  publicationsNotWithdrawn: 0,
});

function addItem(f: Figures, i: DebtorListItem): void {
  f.listed += i.listedInPeriod ? 1 : 0;
  f.published += i.publishedInPeriod;
  f.publishedListings += i.publishedInPeriod > 0 ? 1 : 0;
  f.removed += i.removedInPeriod ? 1 : 0;
  f.removedOnTime += i.removedInPeriod && i.removalOnTime === true ? 1 : 0;
  f.removedLate += i.removedInPeriod && i.removalOnTime === false ? 1 : 0;
  f.dueNotRemoved += i.dueNotRemoved ? 1 : 0;
  f.overdueNow += i.overdueNow ? 1 : 0;
  f.publicationsNotWithdrawn += i.publicationsNotWithdrawn;
}

export async function debtorListReport(knex: Knex, p: DebtorListParams): Promise<DebtorListReport> {
  const total = zeroFigures();
  const byGround = new Map(LISTING_GROUNDS.map((g) => [g, zeroFigures()]));
  const items: DebtorListItem[] = [];
  let itemsTotal = 0;
  let calendarKnown = true;
  for await (const batch of debtorListItems(knex, p)) {
    for (const i of batch) {
      addItem(total, i);
      addItem(byGround.get(i.ground)!, i);
      calendarKnown &&= i.calendarKnown;
      itemsTotal += 1;
      if (items.length < ITEMS_LIMIT) items.push(i);
    }
  }
  assert.equal(total.removedOnTime + total.removedLate, total.removed, "every removal is on time or late");
  return {
    from: p.from,
    to: p.to,
    today: p.today,
    courtIds: p.courtIds,
    ...total,
    calendarKnown,
    byGround: LISTING_GROUNDS.map((ground) => ({ ground, ...byGround.get(ground)! })),
    itemsTotal,
    items,
    conventions: DEBTOR_LIST_CONVENTIONS,
    generatedAt: new Date().toISOString(),
  };
}

const yesNo = (b: boolean | null) => (b === null ? null : b ? "yes" : "no");

const COLUMNS: { header: string; key: string; width: number; value: (i: DebtorListItem, court: string) => string | number | null }[] = [
  { header: "listing_id", key: "listing", width: 38, value: (i) => i.listingId },
  { header: "court", key: "court", width: 8, value: (_i, court) => court },
  { header: "case_number", key: "caseNumber", width: 28, value: (i) => i.caseNumber },
  { header: "debtor", key: "debtor", width: 20, value: (i) => i.debtorName },
  { header: "ground", key: "ground", width: 22, value: (i) => i.ground },
  { header: "decision_number", key: "decision", width: 28, value: (i) => i.decisionNumber },
  { header: "decided_on", key: "decidedOn", width: 12, value: (i) => i.decidedOn },
  { header: "expires_on", key: "expiresOn", width: 12, value: (i) => i.expiresOn },
  { header: "status", key: "status", width: 14, value: (i) => i.status },
  { header: "listed_in_period", key: "listed", width: 8, value: (i) => yesNo(i.listedInPeriod) },
  { header: "published_in_period", key: "published", width: 8, value: (i) => i.publishedInPeriod },
  { header: "removal_due_by", key: "dueBy", width: 12, value: (i) => i.removalDueBy },
  { header: "removal_due_reason", key: "dueReason", width: 16, value: (i) => i.removalDueReason },
  { header: "removal_completed_on", key: "completedOn", width: 12, value: (i) => i.removalCompletedOn },
  { header: "on_time", key: "onTime", width: 8, value: (i) => yesNo(i.removalOnTime) },
  { header: "removed_in_period", key: "removed", width: 8, value: (i) => yesNo(i.removedInPeriod) },
  { header: "due_not_removed", key: "dueNotRemoved", width: 8, value: (i) => yesNo(i.dueNotRemoved) },
  { header: "overdue_now", key: "overdueNow", width: 8, value: (i) => yesNo(i.overdueNow) },
  { header: "publications_not_withdrawn", key: "notWithdrawn", width: 8, value: (i) => i.publicationsNotWithdrawn },
  { header: "calendar_known", key: "calendarKnown", width: 8, value: (i) => yesNo(i.calendarKnown) },
];

async function courtCodes(knex: Knex, courtIds: string[]): Promise<Map<string, string>> {
  const rows = await knex("courts").whereIn("id", courtIds).select<{ id: string; code: string }[]>("id", "code");
  return new Map(rows.map((r) => [r.id, r.code]));
}

export async function debtorListCsv(knex: Knex, p: DebtorListParams): Promise<Reply> {
  const codes = await courtCodes(knex, p.courtIds);
  return csvExport(
    `debtor-list_${p.from}_${p.to}.csv`,
    COLUMNS.map((c) => c.header),
    () => debtorListItems(knex, p),
    (i) => COLUMNS.map((c) => c.value(i, codes.get(i.courtId) ?? "")),
  );
}

export async function debtorListXlsx(knex: Knex, p: DebtorListParams): Promise<Reply> {
  const codes = await courtCodes(knex, p.courtIds);
  const r = await debtorListReport(knex, p);
  return xlsxExport(
    `debtor-list_${p.from}_${p.to}.xlsx`,
    {
      title: "Summary 汇总",
      rows: [
        ["Period 期间", `${r.from} – ${r.to}`],
        ["Listed 纳入名单", r.listed],
        ["Publications 公布次数", r.published],
        ["Removed 删除完成", r.removed],
        ["Removed on time 按期删除", r.removedOnTime],
        ["Removed late 逾期删除", r.removedLate],
        ["Due, not removed 到期未删除", r.dueNotRemoved],
        [`Overdue on ${r.today} 现逾期`, r.overdueNow],
        ["Publications not withdrawn 未撤回公布", r.publicationsNotWithdrawn],
        ["Generated at 生成时间", r.generatedAt],
      ],
    },
    {
      title: "Listings 名单明细",
      columns: COLUMNS.map(({ header, key, width }) => ({ header, key, width })),
      batches: () => debtorListItems(knex, p),
      toRow: (i) => Object.fromEntries(COLUMNS.map((c) => [c.key, c.value(i, codes.get(i.courtId) ?? "")])),
    },
  );
}
