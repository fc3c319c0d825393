import type { Knex } from "knex";
import { dayOfWeek } from "../core/dates";
import type { WriteContext } from "../core/operation";
import { validationFailed, type FieldError } from "../core/errors";
import type { Schemas } from "../core/schemas";
import type { CalendarYearPutInput } from "./calendar.schemas";
import { calendarStore, type CalendarYearRow } from "./calendar-store";
import { WorkingCalendar } from "./working-calendar";

/** The calendar as stored now; a handful of rows, read once per request that needs deadlines. */
export async function loadWorkingCalendar(knex: Knex): Promise<WorkingCalendar> {
  const rows = await calendarStore.all(knex);
  return new WorkingCalendar(rows.map((r) => [r.year, { holidays: r.holidays, workdays: r.workdays }] as [number, CalendarYearRow]));
}

function toCalendarYear(year: number, row: CalendarYearRow | undefined): Schemas["CalendarYear"] {
  if (!row) return { year, calendarKnown: false, source: null, holidays: [], workdays: [], updatedAt: null, updatedBy: null };
  return {
    year,
    calendarKnown: true,
    source: row.source,
    holidays: [...row.holidays].sort(),
    workdays: [...row.workdays].sort(),
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
  };
}

export async function getCalendarYear(knex: Knex, year: number): Promise<Schemas["CalendarYear"]> {
  return toCalendarYear(year, await calendarStore.find(knex, year));
}

function checkYear(year: number, input: CalendarYearPutInput): FieldError[] {
  const errors: FieldError[] = [];
  const prefix = `${year}-`;
  input.holidays.forEach((d, i) => {
    if (!d.startsWith(prefix)) errors.push({ path: `body.holidays.${i}`, message: `must be a date of ${year}` });
  });
  input.workdays.forEach((d, i) => {
    if (!d.startsWith(prefix)) errors.push({ path: `body.workdays.${i}`, message: `must be a date of ${year}` });
    else if (dayOfWeek(d) !== 0 && dayOfWeek(d) !== 6) {
      errors.push({ path: `body.workdays.${i}`, message: "a make-up working day must be a Saturday or Sunday (any other weekday already is one)" });
    }
  });
  const holidays = new Set(input.holidays);
  input.workdays.forEach((d, i) => {
    if (holidays.has(d)) errors.push({ path: `body.workdays.${i}`, message: "a day cannot be both a holiday and a working day" });
  });
  return errors;
}

/** An admin replaces a whole year, e.g. when the State Council publishes next year's notice. */
export async function putCalendarYear(ctx: WriteContext, year: number, input: CalendarYearPutInput): Promise<Schemas["CalendarYear"]> {
  const tx = ctx.db;
  const errors = checkYear(year, input);
  if (errors.length > 0) throw validationFailed(errors);
  const before = await calendarStore.find(tx, year);
  const row = await calendarStore.replace(tx, {
    year,
    holidays: [...input.holidays].sort(),
    workdays: [...input.workdays].sort(),
    updatedBy: ctx.actor.id,
  });
  ctx.audit.record({
    action: "calendar.replaced",
    entityType: "calendar_year",
    entityId: String(year),
    courtId: null,
    data: {
      year,
      holidays: row.holidays,
      workdays: row.workdays,
      previous: before ? { source: before.source, holidays: before.holidays, workdays: before.workdays } : null,
    },
  });
  return toCalendarYear(year, row);
}

export async function workingDayAfter(knex: Knex, after: string, count: number): Promise<Schemas["WorkingDayAnswer"]> {
  const answer = (await loadWorkingCalendar(knex)).workingDayAfter(after, count);
  return { after, count, date: answer.date, calendarKnown: answer.calendarKnown };
}
