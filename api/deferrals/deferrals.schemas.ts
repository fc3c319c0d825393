import { z } from "zod";
import { businessDate } from "../core/dates";

export const deferralBody = z
  .object({
    reason: z.enum(["applicant_unreachable", "amount_disputed", "execution_suspended", "objection_pending", "other"]),
    until: businessDate,
    note: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();
export type DeferralInput = z.output<typeof deferralBody>;
