import { z } from "zod";
import { addYears, businessDate, todayInChina } from "../core/dates";

export const deferralBody = z
  .object({
    reason: z.enum(["applicant_unreachable", "amount_disputed", "execution_suspended", "objection_pending", "other"]),
    // A deferral is for a ground that will cease: a year at most, so that money cannot be kept from being overdue for ever.
    until: businessDate.refine((d) => d <= addYears(todayInChina(), 1), { message: "must be at most one year from today" }),
    note: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();
export type DeferralInput = z.output<typeof deferralBody>;
