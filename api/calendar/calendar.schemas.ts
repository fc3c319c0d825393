import { z } from "zod";
import { businessDate } from "../core/dates";
import type { Schemas } from "../core/schemas";

export const calendarYearParams = z
  .object({ year: z.coerce.number({ message: "year must be a whole number" }).int().min(1900).max(2999) })
  .strict();

const uniqueDates = (max: number) =>
  z
    .array(businessDate)
    .max(max)
    .refine((d) => new Set(d).size === d.length, "dates must not repeat");

export const calendarYearPutBody = z
  .object({ holidays: uniqueDates(100), workdays: uniqueDates(50) })
  .strict() satisfies z.ZodType<Schemas["CalendarYearPut"], unknown>;

export type CalendarYearPutInput = z.output<typeof calendarYearPutBody>;

export const workingDayQuery = z
  .object({
    after: businessDate,
    count: z.coerce.number({ message: "count must be a whole number" }).int().min(1).max(60),
  })
  .strict();
