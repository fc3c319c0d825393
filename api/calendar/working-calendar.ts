import { addDays, dayOfWeek } from "../core/dates";

/**
 * China's official working-day calendar: Saturdays and Sundays are off, the State Council's
 * public holidays are off, and its make-up working days (调休, always a weekend day) are on.
 * A year the calendar does not know falls back to Monday–Friday, and every answer says whether
 * it rests on a known year (`calendarKnown`), so that a deadline computed on a guess is visible.
 */
export interface CalendarYearDays {
  holidays: readonly string[];
  workdays: readonly string[];
}

export interface WorkingDayAnswer {
  date: string;
  /** False when any day counted fell in a year without an official calendar. */
  calendarKnown: boolean;
}

/** Far more than any official holiday run (the longest is 9 days), so a bad calendar cannot loop for ever. */
const MAX_DAYS_SCANNED = 366;

export class WorkingCalendar {
  private readonly years = new Map<number, { holidays: Set<string>; workdays: Set<string> }>();

  constructor(years: ReadonlyMap<number, CalendarYearDays> | Iterable<[number, CalendarYearDays]>) {
    for (const [year, days] of years) {
      this.years.set(year, { holidays: new Set(days.holidays), workdays: new Set(days.workdays) });
    }
  }

  knowsYear(year: number): boolean {
    return this.years.has(year);
  }

  isWorkingDay(date: string): { working: boolean; calendarKnown: boolean } {
    const weekday = dayOfWeek(date) !== 0 && dayOfWeek(date) !== 6;
    const year = this.years.get(Number(date.slice(0, 4)));
    if (!year) return { working: weekday, calendarKnown: false };
    if (year.workdays.has(date)) return { working: true, calendarKnown: true };
    if (year.holidays.has(date)) return { working: false, calendarKnown: true };
    return { working: weekday, calendarKnown: true };
  }

  /**
   * The `count`-th working day strictly after `date`: the day itself never counts, whether or
   * not it is a working day. Fully performed on Monday 2024-09-30, the 3rd working day after is
   * Thursday 2024-10-10 (1–7 October are the National Day holiday).
   */
  workingDayAfter(date: string, count: number): WorkingDayAnswer {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive whole number, not ${count}`);
    let calendarKnown = true;
    let day = date;
    let left = count;
    for (let scanned = 0; scanned < MAX_DAYS_SCANNED; scanned++) {
      day = addDays(day, 1);
      const answer = this.isWorkingDay(day);
      calendarKnown &&= answer.calendarKnown;
      if (answer.working && --left === 0) return { date: day, calendarKnown };
    }
    throw new Error(`no ${count} working days within ${MAX_DAYS_SCANNED} days after ${date}: the calendar is broken`);
  }
}
