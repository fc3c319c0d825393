import { operation, type FeatureOperations } from "../core/operation";
import { getCalendarYear, putCalendarYear, workingDayAfter } from "./calendar-service";
import { calendarYearParams, calendarYearPutBody, workingDayQuery } from "./calendar.schemas";

export const calendarOperations = {
  getCalendarYear: operation({
    roles: "any",
    writes: "none",
    params: calendarYearParams,
    run: (ctx, { params }) => getCalendarYear(ctx.db, params.year),
  }),

  putCalendarYear: operation({
    roles: ["admin"],
    writes: "transaction",
    params: calendarYearParams,
    body: calendarYearPutBody,
    run: (ctx, { params, body }) => putCalendarYear(ctx, params.year, body),
  }),

  getWorkingDayAfter: operation({
    roles: "any",
    writes: "none",
    query: workingDayQuery,
    run: (ctx, { query }) => workingDayAfter(ctx.db, query.after, query.count),
  }),
} satisfies FeatureOperations<"getCalendarYear" | "putCalendarYear" | "getWorkingDayAfter">;
