import type { Request } from "express";
import { z } from "zod";
import { businessDate, daysBetween, todayInChina } from "../core/dates";
import { courtsInScope } from "../core/court-scope";
import type { Actor } from "../core/actor";
import { AppError, validationFailed } from "../core/errors";
import { uuid } from "../http/validate";

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

/** `?format=` wins; otherwise the Accept header chooses between JSON and CSV. */
export function reportFormat(req: Request, explicit: ReportFormat | undefined): ReportFormat {
  if (explicit) return explicit;
  const accepted = req.accepts(["application/json", "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);
  if (accepted === "text/csv") return "csv";
  if (accepted === "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") return "xlsx";
  if (accepted === false) throw new AppError("not_acceptable", "This report is available as application/json, text/csv or XLSX");
  return "json";
}

export function assertNotFuture(date: string, path: string): void {
  if (date > todayInChina()) throw validationFailed([{ path, message: "must not be in the future" }]);
}
