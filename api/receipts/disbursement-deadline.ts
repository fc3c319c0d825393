import type { Knex } from "knex";
import { loadWorkingCalendar } from "../calendar/calendar-service";
import { addDays } from "../core/dates";
import type { Money } from "../core/money";
import { courtSettings, localDeadlineFor } from "../courts/court-settings";

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
  const statutory = addDays(opts.receivedOn, DISBURSE_WITHIN_DAYS);
  const band = localDeadlineFor(await courtSettings(knex, opts.courtId), opts.amount);
  let local: string | null = null;
  if (band?.kind === "calendar") local = addDays(opts.receivedOn, band.days);
  if (band?.kind === "working") local = (await loadWorkingCalendar(knex)).workingDayAfter(opts.receivedOn, band.days).date;
  return { statutory, local, disburseBy: local !== null && local < statutory ? local : statutory };
}
