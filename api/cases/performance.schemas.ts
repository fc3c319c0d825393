import { z } from "zod";
import { businessDate } from "../core/dates";
import type { Schemas } from "../core/schemas";

export const amountOwedQuery = z.object({ asOf: businessDate.optional() }).strict();

export const performanceCreateBody = z
  .object({
    performedOn: businessDate,
    waived: z.object({ delayInterest: z.literal(true).optional() }).strict().optional(),
    note: z.string().trim().min(1).max(2000),
  })
  .strict() satisfies z.ZodType<Schemas["PerformanceCreate"], unknown>;
export type PerformanceCreateInput = z.output<typeof performanceCreateBody>;
