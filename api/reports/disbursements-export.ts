import type { Knex } from "knex";
import { verifyAll } from "../audit/audit-service";
import { maskAccountNumber } from "../cases/masking";
import { toSpreadsheetNumber } from "../core/money";
import { detailSql, type DetailRow, type PeriodParams } from "./disbursements-query";
import { disbursementReport } from "./disbursements-service";
import { csvExport, cursorRows, xlsxExport } from "./export";
import type { Reply } from "../core/reply";
import { heldFundsReport } from "./held-funds";
import { reportPage } from "./report-page";

/** The disbursement report's other forms: one row per payout as CSV or XLSX, and the printable page. */

const filenameOf = (p: PeriodParams, ext: string) => `disbursements_${p.from}_${p.to}.${ext}`;
const payee = (r: DetailRow) => (r.payee_account_number ? maskAccountNumber(r.payee_account_number) : null);
const daysHeld = (r: DetailRow) => (r.days_held === null ? null : Number(r.days_held));

export function disbursementsCsv(knex: Knex, params: PeriodParams): Reply {
  return csvExport(filenameOf(params, "csv"), ["item_id", "court", "case_number", "payee", "payee_account", "amount", "paid_on", "batch_id", "money_received_on", "days_held"], () => cursorRows<DetailRow>(knex, detailSql(), params), (r) => [
    r.payout_item_id, r.court_code, r.case_number, r.payee_name, payee(r), r.amount, r.paid_on, r.batch_id, r.funded_from, daysHeld(r),
  ]);
}

export async function disbursementsXlsx(knex: Knex, params: PeriodParams): Promise<Reply> {
  const report = await disbursementReport(knex, params);
  return xlsxExport(
    filenameOf(params, "xlsx"),
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
      batches: () => cursorRows<DetailRow>(knex, detailSql(), params),
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
        days: daysHeld(r),
      }),
    },
  );
}

/**
 * The printable page: the report, the overdue list on the period's last day (or today, if
 * earlier), and the audit chain's verification, whose head hash ties the paper to the records.
 */
export async function disbursementsPage(knex: Knex, params: PeriodParams & { today: string; now: Date }): Promise<string> {
  const report = await disbursementReport(knex, params);
  const today = params.today;
  const held = await heldFundsReport(knex, { courtIds: params.courtIds, asOf: params.to < today ? params.to : today });
  const audit = await verifyAll(knex, params.courtIds);
  const courts = await knex("courts").whereIn("id", params.courtIds).orderBy("code").select<{ id: string; code: string; name: string }[]>("id", "code", "name");
  return reportPage({ report, courts, held, audit, verifiedAt: params.now.toISOString() });
}
