import { z } from "zod";
import { businessDate, daysBetween, isValidDate } from "../core/dates";
import { courtsInScope } from "../core/court-scope";
import type { Actor } from "../core/actor";
import { AppError } from "../core/errors";
import { uuid } from "../core/validation";

export type ReportFormat = "json" | "csv" | "xlsx";

const MAX_PERIOD_DAYS = 3653; // ten years

const period = { from: businessDate, to: businessDate, courtId: uuid.optional() };

export const periodQuery = z
  .object({ ...period, format: z.enum(["json", "csv", "xlsx"]).optional() })
  .strict()
  .superRefine(checkPeriod);

/** The printable page has one format. */
export const pageQuery = z.object(period).strict().superRefine(checkPeriod);

export function checkPeriod(q: { from: string; to: string }, ctx: z.RefinementCtx): void {
  // The dates themselves are checked (and refused) field by field; only compare real ones.
  if (!isValidDate(q.from) || !isValidDate(q.to)) return;
  if (q.to < q.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
  else if (daysBetween(q.from, q.to) > MAX_PERIOD_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: "the period may be at most 10 years" });
}

export const asOfQuery = z
  .object({
    asOf: businessDate.optional(),
    courtId: uuid.optional(),
    format: z.enum(["json", "csv", "xlsx"]).optional(),
  })
  .strict();

/** The courts a report covers: one of the user's courts, or all of them. */
export function reportCourts(actor: Actor, courtId: string | undefined): string[] {
  if (courtId === undefined && actor.courtIds.length === 0) throw new AppError("not_found", "You belong to no court, so there is nothing to report");
  return courtsInScope(actor, courtId);
}

const OFFERED: { type: string; format: ReportFormat }[] = [
  { type: "application/json", format: "json" },
  { type: "text/csv", format: "csv" },
  { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", format: "xlsx" },
];

/** `?format=` wins; otherwise the Accept header chooses between JSON, CSV and XLSX (JSON when absent). */
export function reportFormat(accept: string | undefined, explicit: ReportFormat | undefined): ReportFormat {
  if (explicit) return explicit;
  if (accept === undefined || accept.trim() === "") return "json";
  const ranges = parseAccept(accept);
  let best: { format: ReportFormat; q: number; specificity: number; order: number } | null = null;
  for (const offer of OFFERED) {
    const [type, subtype] = offer.type.split("/");
    for (const r of ranges) {
      const specificity = r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === "*" ? 1 : r.type === "*" && r.subtype === "*" ? 0 : -1;
      if (specificity < 0 || r.q <= 0) continue;
      const candidate = { format: offer.format, q: r.q, specificity, order: r.order };
      if (!best || candidate.q > best.q || (candidate.q === best.q && (candidate.specificity > best.specificity || (candidate.specificity === best.specificity && candidate.order < best.order)))) {
        best = candidate;
      }
    }
  }
  if (!best) throw new AppError("not_acceptable", "This report is available as application/json, text/csv or XLSX");
  return best.format;
}

function parseAccept(accept: string): { type: string; subtype: string; q: number; order: number }[] {
  return accept.split(",").flatMap((part, order) => {
    const [range, ...params] = part.trim().split(";");
    const [type, subtype] = range.trim().toLowerCase().split("/");
    if (!type || !subtype) return [];
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) ? [{ type, subtype, q, order }] : [];
  });
}
