import { z } from "zod";

/**
 * Business dates are plain `YYYY-MM-DD` strings in China time. Arithmetic is done on UTC
 * midnights so that no server time zone can shift a date.
 */
const DATE_FORM = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(value: string): boolean {
  const m = DATE_FORM.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2999) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/**
 * The dates a court's records can carry: from 1950 (the oldest records a court still enforces)
 * to ten years ahead. A date outside is a typing error, and one far ahead would, say, make money
 * never overdue.
 */
export const EARLIEST_BUSINESS_DATE = "1950-01-01";
export const latestBusinessDate = (now: Date = new Date()) => `${Number(todayInChina(now).slice(0, 4)) + 10}-12-31`;

export const businessDate = z
  .string()
  .refine(isValidDate, { message: "must be a real date in the form YYYY-MM-DD" })
  .refine((d) => !isValidDate(d) || (d >= EARLIEST_BUSINESS_DATE && d <= latestBusinessDate()), {
    message: `must lie between ${EARLIEST_BUSINESS_DATE} and ten years ahead`,
  });

function toUtc(date: string): Date {
  const m = DATE_FORM.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

function fromUtc(t: Date): string {
  return t.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const t = toUtc(date);
  t.setUTCDate(t.getUTCDate() + days);
  return fromUtc(t);
}

/** Calendar years, keeping the day; 29 February falls back to 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const t = toUtc(date);
  const target = new Date(Date.UTC(t.getUTCFullYear() + years, t.getUTCMonth(), 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(t.getUTCDate(), lastDay));
  return fromUtc(target);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86400000);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return toUtc(date).getUTCDay();
}

/** Today's date in China (UTC+8, no daylight saving). `now` is injectable for tests. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
