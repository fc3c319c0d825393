import { addDays, dayOfWeek } from "../core/dates";
import { FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR, fallbackYear } from "./statutory-holidays";

/**
 * China's official working-day calendar: Saturdays and Sundays are off, the State Council's
 * public holidays are off, and its make-up working days (调休, always a weekend day) are on.
 * A year the calendar does not know falls back to Monday–Friday less the statutory days off of
 * 《全国年节及纪念日放假办法》 art. 2 (New Year's Day, the Spring Festival, Qingming, Labour Day, the
 * Dragon Boat Festival, Mid-Autumn, National Day — computed, see statutory-holidays.ts), because those
 * are off every year whatever the notice says; the make-up working days (调休) are not known until
 * the State Council's notice, so every answer says whether it rests on a loaded year
 * (`calendarKnown`), and a loaded calendar always overrides the computed one.
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
  private readonly fallback = new Map<number, Set<string>>();

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
    if (!year) return { working: weekday && !this.fallbackHolidays(Number(date.slice(0, 4))).has(date), calendarKnown: false };
    if (year.workdays.has(date)) return { working: true, calendarKnown: true };
    if (year.holidays.has(date)) return { working: false, calendarKnown: true };
    return { working: weekday, calendarKnown: true };
  }

  /** The computed statutory days off of a year without a loaded calendar (none outside 1950–2100). */
  private fallbackHolidays(year: number): Set<string> {
    let days = this.fallback.get(year);
    if (!days) {
      days = year >= FIRST_SUPPORTED_YEAR && year <= LAST_SUPPORTED_YEAR ? new Set(fallbackYear(year).holidays) : new Set<string>();
      this.fallback.set(year, days);
    }
    return days;
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
