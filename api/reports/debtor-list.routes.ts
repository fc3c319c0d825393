import { todayInChina } from "../core/dates";
import { requireRole } from "../http/auth";
import type { FeatureHandlers } from "../http/operations";
import { parseQuery } from "../http/validate";
import { debtorListCsv, debtorListReport, debtorListXlsx } from "./debtor-list";
import { periodQuery, reportCourts, reportFormat } from "./report-params";

export const debtorListReportHandlers: FeatureHandlers<"getDebtorListReport"> = {
  async getDebtorListReport(req, res) {
    const actor = requireRole(req, "approver", "inspector");
    const q = parseQuery(req, periodQuery);
    const format = reportFormat(req, q.format);
    const params = { courtIds: reportCourts(actor, q.courtId), from: q.from, to: q.to, today: todayInChina() };
    const knex = req.ctx.db.knex;
    if (format === "json") res.json(await debtorListReport(knex, params));
    else if (format === "csv") await debtorListCsv(knex, res, params);
    else await debtorListXlsx(knex, res, params);
  },
};
