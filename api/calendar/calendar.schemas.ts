import { z } from "zod";
import { businessDate } from "../core/dates";
import { wholeNumber } from "../core/pagination";
import type { Schemas } from "../core/schemas";

export const calendarYearParams = z
  .object({ year: wholeNumber("year").pipe(z.number().int().min(1950).max(2100)) })
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
    count: wholeNumber("count").pipe(z.number().int().min(1).max(60)),
  })
  .strict();
