import { withTransaction } from "../../db/transaction";
import { requireRole } from "../http/auth";
import { actorOf } from "../http/context";
import type { FeatureHandlers } from "../http/operations";
import { parseBody, parseParams, parseQuery } from "../http/validate";
import { getCalendarYear, putCalendarYear, workingDayAfter } from "./calendar-service";
import { calendarYearParams, calendarYearPutBody, workingDayQuery } from "./calendar.schemas";

export const calendarHandlers: FeatureHandlers<"getCalendarYear" | "putCalendarYear" | "getWorkingDayAfter"> = {
  async getCalendarYear(req, res) {
    actorOf(req);
    const { year } = parseParams(req, calendarYearParams);
    res.json(await getCalendarYear(req.ctx.db.knex, year));
  },

  async putCalendarYear(req, res) {
    const actor = requireRole(req, "admin");
    const { year } = parseParams(req, calendarYearParams);
    const input = parseBody(req, calendarYearPutBody);
    res.json(await withTransaction(req.ctx.db.knex, (tx) => putCalendarYear(tx, { actor, requestId: req.ctx.requestId }, year, input)));
  },

  async getWorkingDayAfter(req, res) {
    actorOf(req);
    const { after, count } = parseQuery(req, workingDayQuery);
    res.json(await workingDayAfter(req.ctx.db.knex, after, count));
  },
};
