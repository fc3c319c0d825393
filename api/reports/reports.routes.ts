import { requireRole } from "../http/auth";
import type { FeatureHandlers } from "../http/operations";
import { parseQuery } from "../http/validate";
import { maskAccountNumber } from "../cases/masking";
import { toSpreadsheetNumber } from "../money";
import { detailSql, type DetailRow } from "./disbursements-query";
import { disbursementReport } from "./disbursements-service";
import { cursorRows, streamCsv, streamXlsx } from "./export";
import { heldFundsReport, heldFundsCsv, heldFundsXlsx } from "./held-funds";
import { asOfQuery, pageQuery, periodQuery, reportCourts, reportFormat } from "./report-params";
import { reportPage } from "./report-page";
import { verifyAuditChain } from "../audit/audit-service";
import { todayInChina } from "../dates";


export const reportHandlers: FeatureHandlers<"getDisbursementReport" | "getDisbursementReportPage" | "getHeldFundsReport"> = {
  async getDisbursementReportPage(req, res) {
    const actor = requireRole(req, "approver", "inspector");
    const q = parseQuery(req, pageQuery);
    const courtIds = reportCourts(actor, q.courtId);
    const knex = req.ctx.db.knex;
    const report = await disbursementReport(knex, { courtIds, from: q.from, to: q.to });
    const today = todayInChina();
    const held = await heldFundsReport(knex, { courtIds, asOf: q.to < today ? q.to : today });
    const audit = await verifyAuditChain(knex);
    const courts = await knex("courts").whereIn("id", courtIds).orderBy("code").select<{ code: string; name: string }[]>("code", "name");
    res.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    res.type("html").send(reportPage({ report, courts, held, audit, verifiedAt: new Date().toISOString() }));
  },

  async getDisbursementReport(req, res) {
    const actor = requireRole(req, "approver", "inspector");
    const q = parseQuery(req, periodQuery);
    const format = reportFormat(req, q.format);
    const params = { courtIds: reportCourts(actor, q.courtId), from: q.from, to: q.to };
    const knex = req.ctx.db.knex;
    if (format === "json") {
      res.json(await disbursementReport(knex, params));
      return;
    }
    const filename = `disbursements_${q.from}_${q.to}.${format}`;
    const batches = cursorRows<DetailRow>(knex, detailSql(), params);
    const payee = (r: DetailRow) => (r.payee_account_number ? maskAccountNumber(r.payee_account_number) : null);
    if (format === "csv") {
      await streamCsv(res, filename, ["item_id", "court", "case_number", "payee", "payee_account", "amount", "paid_on", "batch_id", "money_received_on", "days_held"], batches, (r) => [
        r.payout_item_id, r.court_code, r.case_number, r.payee_name, payee(r), r.amount, r.paid_on, r.batch_id, r.funded_from, r.days_held === null ? null : Number(r.days_held),
      ]);
      return;
    }
    const report = await disbursementReport(knex, params);
    await streamXlsx(
      res,
      filename,
      {
        title: "Summary 汇总",
        rows: [
          ["Period 期间", `${report.from} – ${report.to}`],
          ["Courts 法院", report.byCourt.map((c) => `${c.courtCode} ${c.courtName}`).join("; ")],
          ["Summary", report.summary.en],
          ["摘要", report.summary.zh],
          ["Cases 案件数", report.cases],
          ["Payouts 发放笔数", report.payouts],
          ["Total (yuan) 发放金额(元)", toSpreadsheetNumber(report.total)],
          ["Median days held 中位天数", report.timeliness.medianDays ?? "—"],
          ["90th percentile days", report.timeliness.p90Days ?? "—"],
          ["Within 30 days 30日内", report.timeliness.within30Days],
          ["Over 30 days 超30日", report.timeliness.over30Days],
          ["Generated at 生成时间", report.generatedAt],
        ],
      },
      {
        title: "Payouts 发放明细",
        columns: [
          { header: "Item", key: "item", width: 38 },
          { header: "Court", key: "court", width: 8 },
          { header: "Case number 案号", key: "caseNumber", width: 28 },
          { header: "Payee 收款人", key: "payee", width: 20 },
          { header: "Account 账号", key: "account", width: 12 },
          { header: "Amount 金额", key: "amount", width: 16, money: true },
          { header: "Paid on 发放日期", key: "paidOn", width: 12 },
          { header: "Batch 批次", key: "batch", width: 38 },
          { header: "Received on 到账日期", key: "receivedOn", width: 12 },
          { header: "Days held 天数", key: "days", width: 10 },
        ],
        batches,
        toRow: (r) => ({
          item: r.payout_item_id,
          court: r.court_code,
          caseNumber: r.case_number,
          payee: r.payee_name,
          account: payee(r),
          amount: toSpreadsheetNumber(r.amount),
          paidOn: r.paid_on,
          batch: r.batch_id,
          receivedOn: r.funded_from,
          days: r.days_held === null ? null : Number(r.days_held),
        }),
      },
    );
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
