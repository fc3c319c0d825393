import { z } from "zod";
import { addYears, businessDate, todayInChina } from "../core/dates";
import { pageParams } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { uuid } from "../core/validation";

export const deferralBody = z
  .object({
    reason: z.enum(["applicant_unreachable", "amount_disputed", "execution_suspended", "objection_pending", "other"]),
    // A deferral is for a ground that will cease: a year at most, so that money cannot be kept from being overdue for ever.
    until: businessDate.refine((d) => d <= addYears(todayInChina(), 1), { message: "must be at most one year from today" }),
    note: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();
export type DeferralInput = z.output<typeof deferralBody>;

export const DEFERRAL_STATUSES = ["pending", "approved", "rejected", "ended"] as const;
export type DeferralStatus = (typeof DEFERRAL_STATUSES)[number];

export const decisionRejectBody = z.object({ reason: z.string().trim().min(1).max(2000) }).strict() satisfies z.ZodType<Schemas["DecisionReject"], unknown>;

export const deferralEndBody = z
  .object({ endedOn: businessDate, reason: z.string().trim().min(1).max(2000) })
  .strict() satisfies z.ZodType<Schemas["DeferralEnd"], unknown>;
export type DeferralEndInput = z.output<typeof deferralEndBody>;

export const deferralListQuery = z
  .object({ courtId: uuid.optional(), caseId: uuid.optional(), status: z.enum(DEFERRAL_STATUSES).optional(), ...pageParams })
  .strict();
export type DeferralListQuery = z.output<typeof deferralListQuery>;
