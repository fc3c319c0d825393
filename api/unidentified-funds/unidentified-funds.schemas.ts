import { z } from "zod";
import { pageParams } from "../core/pagination";
import { uuid } from "../core/validation";

export const fundListQuery = z
  .object({
    courtId: uuid,
    status: z.enum(["unclaimed", "claimed", "returning", "returned"]).optional(),
    overdue: z.enum(["true", "false"]).optional(),
    ...pageParams,
  })
  .strict();
export type FundListQuery = z.output<typeof fundListQuery>;

export const fundClaimBody = z.object({ caseId: uuid, note: z.string().trim().min(1).max(1000) }).strict();
export const fundReturnBody = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();
