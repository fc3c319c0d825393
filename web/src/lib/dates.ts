import dayjs, { type Dayjs } from "dayjs";
import "dayjs/locale/zh-cn";

dayjs.locale("zh-cn");

export const DATE_FORMAT = "YYYY-MM-DD";

/**
 * Today's business date in China time, whatever the PC's time zone: a string "YYYY-MM-DD".
 * (A `new Date()` read in the browser's zone would give another day around midnight.)
 */
export function chinaToday(): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(Date.now());
  return parts; // en-CA formats as YYYY-MM-DD
}

export function todayDayjs(): Dayjs {
  return dayjs(chinaToday(), DATE_FORMAT);
}

export function toDateString(d: Dayjs): string {
  return d.format(DATE_FORMAT);
}

export function fromDateString(s: string): Dayjs {
  return dayjs(s, DATE_FORMAT);
}

/** Whole days from today (China) to a business date: negative when it has passed. */
export function daysUntil(date: string): number {
  return fromDateString(date).diff(todayDayjs(), "day");
}

/** A timestamp shown as China time "YYYY-MM-DD HH:mm". */
export function formatTimestamp(ts: string | null | undefined): string {
  if (!ts) return "—";
  const f = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  });
  return f.format(new Date(ts)).replace(/\//g, "-");
}

/** Traffic light of a disbursement deadline: red overdue, amber within 5 days, green otherwise. */
export type Light = "red" | "amber" | "green";
export function deadlineLight(disburseBy: string, amberDays = 5): Light {
  const d = daysUntil(disburseBy);
  if (d < 0) return "red";
  if (d <= amberDays) return "amber";
  return "green";
}
