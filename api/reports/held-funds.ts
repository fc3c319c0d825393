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

export async function heldFundsReport(db: Knex, p: HeldParams): Promise<Schemas["HeldFundsReport"]> {
  return inReportTransaction(db, (knex) => heldFundsFigures(knex, p));
}

async function heldFundsFigures(knex: Knex, p: HeldParams): Promise<Schemas["HeldFundsReport"]> {
  const held = `WITH held AS (${heldReceiptsSql("courts")}) `;
  const totals = await knex.raw<{ rows: { bucket: string | null; amount: string | null; receipts: string; overdue: string | null; cases: string; overdue_cases: string }[] }>(
    `${held}
     SELECT CASE WHEN age_days <= 30 THEN '0-30' WHEN age_days <= 90 THEN '31-90' WHEN age_days <= 365 THEN '91-365' ELSE '365+' END AS bucket,
            sum(still_held)::text AS amount, count(*) AS receipts,
            sum(still_held) FILTER (WHERE is_overdue)::text AS overdue,
            count(DISTINCT case_id) AS cases, count(DISTINCT case_id) FILTER (WHERE is_overdue) AS overdue_cases
       FROM held WHERE still_held > 0
      GROUP BY GROUPING SETS ((1), ())`,
    p,
  );
  const overall = totals.rows.find((r) => r.bucket === null);
  const byBucket = new Map(totals.rows.filter((r) => r.bucket !== null).map((r) => [r.bucket, r]));

  const cases = await knex.raw<{ rows: { case_id: string; court_id: string; case_number: string; held: string; overdue: string | null; oldest: string }[] }>(
    `${held}
     SELECT h.case_id, h.court_id, c.case_number, sum(h.still_held)::text AS held,
            sum(h.still_held) FILTER (WHERE h.is_overdue)::text AS overdue, min(h.received_on)::text AS oldest
       FROM held h JOIN cases c ON c.id = h.case_id
      WHERE h.still_held > 0
      GROUP BY h.case_id, h.court_id, c.case_number
      ORDER BY sum(h.still_held) DESC, h.case_id
      LIMIT ${LIST_LIMIT}`,
    p,
  );
  const overdue = await knex.raw<{ rows: { case_id: string; court_id: string; case_number: string; receipt_id: string; received_on: string; disburse_by: string; amount: string; days_overdue: number | string }[] }>(
    `${held}
     SELECT h.case_id, h.court_id, c.case_number, h.receipt_id, h.received_on::text, h.disburse_by::text,
            h.still_held::text AS amount, h.days_overdue
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
      oldestReceivedOn: r.oldest,
    })),
    overdue: overdue.rows.map((r) => ({
      caseId: r.case_id,
      courtId: r.court_id,
      caseNumber: r.case_number,
      receiptId: r.receipt_id,
      receivedOn: r.received_on,
      disburseBy: r.disburse_by,
      amount: formatMoney(r.amount),
      daysOverdue: Number(r.days_overdue),
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
  still_held: string;
  age_days: number | string;
  is_overdue: boolean;
  days_overdue: number | string;
}

function detailSql(): string {
  return `WITH held AS (${heldReceiptsSql("courts")})
    SELECT ct.code AS court_code, c.case_number, h.receipt_id, h.received_on::text, h.disburse_by::text,
           h.still_held::text, h.age_days, h.is_overdue, h.days_overdue
      FROM held h JOIN cases c ON c.id = h.case_id JOIN courts ct ON ct.id = h.court_id
     WHERE h.still_held > 0
     ORDER BY ct.code, c.case_number, h.received_on`;
}

export function heldFundsCsv(knex: Knex, p: HeldParams): Reply {
  return csvExport(`held-funds_${p.asOf}.csv`, ["court", "case_number", "receipt_id", "received_on", "disburse_by", "still_held", "days_held", "overdue", "days_overdue"], () => cursorRows<HeldDetailRow>(knex, detailSql(), p), (r) => [
    r.court_code, r.case_number, r.receipt_id, r.received_on, r.disburse_by, r.still_held, Number(r.age_days), r.is_overdue ? "yes" : "no", r.is_overdue ? Number(r.days_overdue) : null,
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
        { header: "Still held 在账金额", key: "held", width: 16, money: true },
        { header: "Days held 天数", key: "days", width: 10 },
        { header: "Overdue 超期", key: "overdue", width: 8 },
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
      }),
    },
  );
}
