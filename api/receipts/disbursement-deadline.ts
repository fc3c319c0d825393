import type { Knex } from "knex";
import { loadWorkingCalendar } from "../calendar/calendar-service";
import { addDays } from "../core/dates";
import type { Money } from "../core/money";
import { courtSettings, localDeadlineFor, type CourtSettings } from "../courts/court-settings";

/** Funds received must be disbursed within 30 days of arrival (最高法《关于执行款物管理工作的规定》). */
export const DISBURSE_WITHIN_DAYS = 30;

export interface DisbursementDeadline {
  statutory: string;
  /** The court's stricter deadline for this amount (its band), or null where it sets none. */
  local: string | null;
  /** The earlier of the two: the one held money is overdue after. */
  disburseBy: string;
}

/**
 * A receipt's deadlines (issue 14 item 6): the statutory 30 calendar days and the court's local
 * deadline for the band the receipt's amount falls in, N calendar days or N working days (the
 * day of arrival never counts). `disburseBy` is the earlier.
 */
export async function disbursementDeadline(knex: Knex, opts: { courtId: string; receivedOn: string; amount: Money }): Promise<DisbursementDeadline> {
  return (await deadlinesOfCourt(knex, opts.courtId))(opts.receivedOn, opts.amount);
}

/**
 * The same rule for many receipts of one court (a statement import): the court's settings, and the
 * working calendar where a band counts working days, are read once.
 */
export async function deadlinesOfCourt(knex: Knex, courtId: string): Promise<(receivedOn: string, amount: Money) => DisbursementDeadline> {
  return deadlinesUnder(knex, await courtSettings(knex, courtId));
}

/** The same rule under settings already read (a receipt reads them with its case). */
export async function deadlinesUnder(knex: Knex, settings: CourtSettings): Promise<(receivedOn: string, amount: Money) => DisbursementDeadline> {
  const needsCalendar = settings.disbursementDeadlines.some((b) => b.kind === "working");
  const calendar = needsCalendar ? await loadWorkingCalendar(knex) : null;
  return (receivedOn, amount) => {
    const statutory = addDays(receivedOn, DISBURSE_WITHIN_DAYS);
    const band = localDeadlineFor(settings, amount);
    let local: string | null = null;
    if (band?.kind === "calendar") local = addDays(receivedOn, band.days);
    if (band?.kind === "working" && calendar) local = calendar.workingDayAfter(receivedOn, band.days).date;
    return { statutory, local, disburseBy: local !== null && local < statutory ? local : statutory };
  };
}
