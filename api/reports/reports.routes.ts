import { todayInChina } from "../core/dates";
import { requireRole } from "../http/auth";
import type { FeatureHandlers } from "../http/operations";
import { parseQuery } from "../http/validate";
import { disbursementsCsv, disbursementsPage, disbursementsXlsx } from "./disbursements-export";
import { disbursementReport } from "./disbursements-service";
import { heldFundsCsv, heldFundsReport, heldFundsXlsx } from "./held-funds";
import { asOfQuery, pageQuery, periodQuery, reportCourts, reportFormat } from "./report-params";

export const reportHandlers: FeatureHandlers<"getDisbursementReport" | "getDisbursementReportPage" | "getHeldFundsReport"> = {
  async getDisbursementReportPage(req, res) {
    const actor = requireRole(req, "approver", "inspector");
    const q = parseQuery(req, pageQuery);
    const html = await disbursementsPage(req.ctx.db.knex, { courtIds: reportCourts(actor, q.courtId), from: q.from, to: q.to });
    res.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    res.type("html").send(html);
  },

  async getDisbursementReport(req, res) {
    const actor = requireRole(req, "approver", "inspector");
    const q = parseQuery(req, periodQuery);
    const format = reportFormat(req, q.format);
    const params = { courtIds: reportCourts(actor, q.courtId), from: q.from, to: q.to };
    const knex = req.ctx.db.knex;
    if (format === "json") res.json(await disbursementReport(knex, params));
    else if (format === "csv") await disbursementsCsv(knex, res, params);
    else await disbursementsXlsx(knex, res, params);
  },

  async getHeldFundsReport(req, res) {
    const actor = requireRole(req, "approver", "inspector", "finance");
    const q = parseQuery(req, asOfQuery);
    const format = reportFormat(req, q.format);
    const params = { courtIds: reportCourts(actor, q.courtId), asOf: q.asOf ?? todayInChina() };
    const knex = req.ctx.db.knex;
    if (format === "json") res.json(await heldFundsReport(knex, params));
    else if (format === "csv") await heldFundsCsv(knex, res, params);
    else await heldFundsXlsx(knex, res, params);
  },
};
