import type { Reply } from "../core/reply";
import type { Knex } from "knex";
import type { Schemas } from "../core/schemas";
import { formatMoney, moneyFromDb, toSpreadsheetNumber } from "../core/money";
import { heldReceiptsSql } from "../ledger/held-receipts";
import { cursorRows, inReportTransaction, csvExport, xlsxExport } from "./export";

export type HeldParams = {
  courtIds: string[];
  asOf: string;
};

const BUCKETS: { bucket: Schemas["HeldFundsReport"]["aging"][number]["bucket"]; minDays: number; maxDays: number | null }[] = [
  { bucket: "0-30", minDays: 0, maxDays: 30 },
  { bucket: "31-90", minDays: 31, maxDays: 90 },
  { bucket: "91-365", minDays: 91, maxDays: 365 },
  { bucket: "365+", minDays: 366, maxDays: null },
];

const LIST_LIMIT = 5000;

interface TotalsRow {
  bucket: string | null;
  amount: string | null;
  receipts: string;
  overdue: string | null;
  cases: string;
  overdue_cases: string;
  local_only_amount: string | null;
  local_only_receipts: string;
  local_only_cases: string;
  statutory_amount: string | null;
  statutory_receipts: string;
  statutory_cases: string;
}

interface OverdueRow {
  case_id: string;
  court_id: string;
  case_number: string;
  receipt_id: string;
  received_on: string;
  disburse_by: string;
  statutory_disburse_by: string;
  local_disburse_by: string | null;
  is_overdue_statutory: boolean;
  amount: string;
  days_overdue: number | string;
  days_overdue_statutory: number | string;
}

export async function heldFundsReport(db: Knex, p: HeldParams): Promise<Schemas["HeldFundsReport"]> {
  return inReportTransaction(db, (knex) => heldFundsFigures(knex, p));
}

async function heldFundsFigures(knex: Knex, p: HeldParams): Promise<Schemas["HeldFundsReport"]> {
  const held = `WITH held AS (${heldReceiptsSql("courts")}) `;
  const totals = await knex.raw<{ rows: TotalsRow[] }>(
    `${held}
     SELECT CASE WHEN age_days <= 30 THEN '0-30' WHEN age_days <= 90 THEN '31-90' WHEN age_days <= 365 THEN '91-365' ELSE '365+' END AS bucket,
            sum(still_held)::text AS amount, count(*) AS receipts,
            sum(still_held) FILTER (WHERE is_overdue)::text AS overdue,
            count(DISTINCT case_id) AS cases, count(DISTINCT case_id) FILTER (WHERE is_overdue) AS overdue_cases,
            -- Issue 14: past the local deadline only, and past the statutory 30 days too.
            sum(still_held) FILTER (WHERE is_overdue AND NOT is_overdue_statutory)::text AS local_only_amount,
            count(*) FILTER (WHERE is_overdue AND NOT is_overdue_statutory) AS local_only_receipts,
            count(DISTINCT case_id) FILTER (WHERE is_overdue AND NOT is_overdue_statutory) AS local_only_cases,
            sum(still_held) FILTER (WHERE is_overdue_statutory)::text AS statutory_amount,
            count(*) FILTER (WHERE is_overdue_statutory) AS statutory_receipts,
            count(DISTINCT case_id) FILTER (WHERE is_overdue_statutory) AS statutory_cases
       FROM held WHERE still_held > 0
      GROUP BY GROUPING SETS ((1), ())`,
    p,
  );
  const overall = totals.rows.find((r) => r.bucket === null);
  const byBucket = new Map(totals.rows.filter((r) => r.bucket !== null).map((r) => [r.bucket, r]));

  const cases = await knex.raw<{ rows: { case_id: string; court_id: string; case_number: string; held: string; overdue: string | null; overdue_statutory: string | null; oldest: string }[] }>(
    `${held}
     SELECT h.case_id, h.court_id, c.case_number, sum(h.still_held)::text AS held,
            sum(h.still_held) FILTER (WHERE h.is_overdue)::text AS overdue,
            sum(h.still_held) FILTER (WHERE h.is_overdue_statutory)::text AS overdue_statutory, min(h.received_on)::text AS oldest
       FROM held h JOIN cases c ON c.id = h.case_id
      WHERE h.still_held > 0
      GROUP BY h.case_id, h.court_id, c.case_number
      ORDER BY sum(h.still_held) DESC, h.case_id
      LIMIT ${LIST_LIMIT}`,
    p,
  );
  const overdue = await knex.raw<{ rows: OverdueRow[] }>(
    `${held}
     SELECT h.case_id, h.court_id, c.case_number, h.receipt_id, h.received_on::text, h.disburse_by::text,
            h.statutory_disburse_by::text, h.local_disburse_by::text, h.is_overdue_statutory,
            h.still_held::text AS amount, h.days_overdue, h.days_overdue_statutory
       FROM held h JOIN cases c ON c.id = h.case_id
      WHERE h.still_held > 0 AND h.is_overdue
      ORDER BY h.days_overdue DESC, h.receipt_id
      LIMIT ${LIST_LIMIT}`,
    p,
  );
  return {
    asOf: p.asOf,
    courtIds: p.courtIds,
    totals: {
      held: formatMoney(moneyFromDb(overall?.amount ?? "0")),
      overdue: formatMoney(moneyFromDb(overall?.overdue ?? "0")),
      cases: Number(overall?.cases ?? 0),
      overdueCases: Number(overall?.overdue_cases ?? 0),
      overdueByDeadline: {
        localOnly: { amount: formatMoney(moneyFromDb(overall?.local_only_amount ?? "0")), receipts: Number(overall?.local_only_receipts ?? 0), cases: Number(overall?.local_only_cases ?? 0) },
        statutory: { amount: formatMoney(moneyFromDb(overall?.statutory_amount ?? "0")), receipts: Number(overall?.statutory_receipts ?? 0), cases: Number(overall?.statutory_cases ?? 0) },
      },
    },
    aging: BUCKETS.map((b) => {
      const r = byBucket.get(b.bucket);
      return { ...b, amount: formatMoney(moneyFromDb(r?.amount ?? "0")), receipts: Number(r?.receipts ?? 0) };
    }),
    cases: cases.rows.map((r) => ({
      caseId: r.case_id,
      courtId: r.court_id,
      caseNumber: r.case_number,
      held: formatMoney(r.held),
      overdue: formatMoney(moneyFromDb(r.overdue ?? "0")),
      overdueStatutory: formatMoney(moneyFromDb(r.overdue_statutory ?? "0")),
      oldestReceivedOn: r.oldest,
    })),
    overdue: overdue.rows.map((r) => ({
      caseId: r.case_id,
      courtId: r.court_id,
      caseNumber: r.case_number,
      receiptId: r.receipt_id,
      receivedOn: r.received_on,
      disburseBy: r.disburse_by,
      statutoryDisburseBy: r.statutory_disburse_by,
      localDisburseBy: r.local_disburse_by,
      pastStatutory: r.is_overdue_statutory,
      amount: formatMoney(r.amount),
      daysOverdue: Number(r.days_overdue),
      daysOverdueStatutory: r.is_overdue_statutory ? Number(r.days_overdue_statutory) : null,
    })),
    generatedAt: new Date().toISOString(),
  };
}

interface HeldDetailRow {
  court_code: string;
  case_number: string;
  receipt_id: string;
  received_on: string;
  disburse_by: string;
  statutory_disburse_by: string;
  local_disburse_by: string | null;
  still_held: string;
  age_days: number | string;
  is_overdue: boolean;
  is_overdue_statutory: boolean;
  days_overdue: number | string;
}

function detailSql(): string {
  return `WITH held AS (${heldReceiptsSql("courts")})
    SELECT ct.code AS court_code, c.case_number, h.receipt_id, h.received_on::text, h.disburse_by::text,
           h.statutory_disburse_by::text, h.local_disburse_by::text,
           h.still_held::text, h.age_days, h.is_overdue, h.is_overdue_statutory, h.days_overdue
      FROM held h JOIN cases c ON c.id = h.case_id JOIN courts ct ON ct.id = h.court_id
     WHERE h.still_held > 0
     ORDER BY ct.code, c.case_number, h.received_on`;
}

export function heldFundsCsv(knex: Knex, p: HeldParams): Reply {
  return csvExport(`held-funds_${p.asOf}.csv`, ["court", "case_number", "receipt_id", "received_on", "disburse_by", "still_held", "days_held", "overdue", "days_overdue", "statutory_disburse_by", "local_disburse_by", "past_statutory"], () => cursorRows<HeldDetailRow>(knex, detailSql(), p), (r) => [
    r.court_code, r.case_number, r.receipt_id, r.received_on, r.disburse_by, r.still_held, Number(r.age_days), r.is_overdue ? "yes" : "no", r.is_overdue ? Number(r.days_overdue) : null,
    r.statutory_disburse_by, r.local_disburse_by, r.is_overdue_statutory ? "yes" : "no",
  ]);
}

export async function heldFundsXlsx(knex: Knex, p: HeldParams): Promise<Reply> {
  const report = await heldFundsReport(knex, p);
  return xlsxExport(
    `held-funds_${p.asOf}.xlsx`,
    {
      title: "Summary 汇总",
      rows: [
        ["As of 截至", report.asOf],
        ["Held (yuan) 在账金额(元)", toSpreadsheetNumber(report.totals.held)],
        ["Overdue (yuan) 超期金额(元)", toSpreadsheetNumber(report.totals.overdue)],
        ["Cases holding money 在账案件", report.totals.cases],
        ["Cases overdue 超期案件", report.totals.overdueCases],
        ["Past the local deadline only (yuan) 仅超本院期限(元)", toSpreadsheetNumber(report.totals.overdueByDeadline.localOnly.amount)],
        ["Past the statutory 30 days (yuan) 超法定30日(元)", toSpreadsheetNumber(report.totals.overdueByDeadline.statutory.amount)],
        ...report.aging.map((a) => [`Held ${a.bucket} days`, toSpreadsheetNumber(a.amount)] as [string, number]),
      ],
    },
    {
      title: "Held 在账明细",
      columns: [
        { header: "Court", key: "court", width: 8 },
        { header: "Case number 案号", key: "caseNumber", width: 28 },
        { header: "Receipt", key: "receipt", width: 38 },
        { header: "Received on 到账日期", key: "receivedOn", width: 12 },
        { header: "Disburse by 应发放日期", key: "disburseBy", width: 12 },
        { header: "Statutory 法定期限", key: "statutory", width: 12 },
        { header: "Local 本院期限", key: "local", width: 12 },
        { header: "Still held 在账金额", key: "held", width: 16, money: true },
        { header: "Days held 天数", key: "days", width: 10 },
        { header: "Overdue 超期", key: "overdue", width: 8 },
        { header: "Past statutory 超法定期限", key: "pastStatutory", width: 10 },
      ],
      batches: () => cursorRows<HeldDetailRow>(knex, detailSql(), p),
      toRow: (r) => ({
        court: r.court_code,
        caseNumber: r.case_number,
        receipt: r.receipt_id,
        receivedOn: r.received_on,
        disburseBy: r.disburse_by,
        held: toSpreadsheetNumber(r.still_held),
        days: Number(r.age_days),
        overdue: r.is_overdue ? "yes" : "no",
        pastStatutory: r.is_overdue_statutory ? "yes" : "no",
        statutory: r.statutory_disburse_by,
        local: r.local_disburse_by ?? "",
      }),
    },
  );
}
