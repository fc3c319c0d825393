import type { Knex } from "knex";
import Decimal from "decimal.js";
import type { Schemas } from "../core/schemas";
import { formatMoney, moneyFromDb, MoneyDecimal } from "../core/money";
import { disbursementFigures, type FigureRow, type PeriodParams } from "./disbursements-query";
import { inReportTransaction } from "./export";

export const CONVENTIONS: Schemas["DisbursementReport"]["conventions"] = {
  period: "A payout counts on its paidOn date; from and to are both included (China time).",
  returns:
    "Net of returns: a payout the bank returned on or before the period's last day does not count; a return never reduces another period, so no period's total is negative.",
  timeliness:
    "Days from the receipt of a payout's oldest money (first in, first out over the case's receipts) to its paidOn; within 30 days means at most 30. A payout over 30 days is covered by a deferral only if an approved one was requested by that receipt's statutory deadline and still covered the day it was paid; the rest are 无法定事由超期. Local deadlines count the payouts whose money had one (the court's band for the receipt's amount).",
};

/** total / unit, half-up to 2 decimals: 10,730,000.00 → "10.73" million, "1073.00" 万. */
export function scaled(total: Decimal, unit: number): string {
  return new MoneyDecimal(total).dividedBy(unit).toFixed(2, Decimal.ROUND_HALF_UP);
}

/** The Chinese sentence drops trailing zeros of the 万元 figure: 1073.00 → 1073, 1073.50 → 1073.5. */
export function trimZeros(fixed: string): string {
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

export function summarise(cases: number, total: Decimal): Pick<Schemas["DisbursementReport"], "display" | "summary"> {
  const millionYuan = scaled(total, 1_000_000);
  const wanYuan = scaled(total, 10_000);
  return {
    display: { millionYuan, wanYuan },
    summary: {
      en: `${cases} ${cases === 1 ? "case" : "cases"}, ${millionYuan}M yuan disbursed`,
      zh: `共发放执行案款${trimZeros(wanYuan)}万元，涉及案件${cases}件`,
    },
  };
}

function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = from.slice(0, 7).split("-").map(Number);
  const [ty, tm] = to.slice(0, 7).split("-").map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    months.push(`${y}-${String(m).padStart(2, "0")}`);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return months;
}

const days = (v: string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);

export async function disbursementReport(knex: Knex, p: PeriodParams): Promise<Schemas["DisbursementReport"]> {
  return inReportTransaction(knex, (tx) => disbursementReportIn(tx, p));
}

/** The report read inside a caller's snapshot (the proof pack reads its rows in the same one). */
export async function disbursementReportIn(knex: Knex, p: PeriodParams): Promise<Schemas["DisbursementReport"]> {
  const rows = await disbursementFigures(knex, p);
  const overall: FigureRow | undefined = rows.find((r) => Number(r.g_court) === 1 && Number(r.g_month) === 1);
  const cases = Number(overall?.cases ?? 0);
  const payouts = Number(overall?.payouts ?? 0);
  const total = moneyFromDb(overall?.total ?? "0");

  const courts = await knex("courts").whereIn("id", p.courtIds).orderBy("code").select<{ id: string; code: string; name: string }[]>("id", "code", "name");
  const byCourtRows = new Map(rows.filter((r) => Number(r.g_court) === 0).map((r) => [r.court_id, r]));
  const byMonthRows = new Map(rows.filter((r) => Number(r.g_month) === 0).map((r) => [r.month, r]));

  return {
    from: p.from,
    to: p.to,
    courtIds: courts.map((c) => c.id),
    cases,
    payouts,
    total: formatMoney(total),
    ...summarise(cases, total),
    byCourt: courts.map((c) => {
      const r = byCourtRows.get(c.id);
      return { courtId: c.id, courtCode: c.code, courtName: c.name, cases: Number(r?.cases ?? 0), payouts: Number(r?.payouts ?? 0), total: formatMoney(r?.total ?? "0") };
    }),
    byMonth: monthsOf(p.from, p.to).map((month) => {
      const r = byMonthRows.get(month);
      return { month, cases: Number(r?.cases ?? 0), payouts: Number(r?.payouts ?? 0), total: formatMoney(r?.total ?? "0") };
    }),
    timeliness: {
      payouts,
      medianDays: days(overall?.median_days ?? null),
      p90Days: days(overall?.p90_days ?? null),
      within30Days: Number(overall?.within30 ?? 0),
      over30Days: Number(overall?.over30 ?? 0),
      // Issue 14: the lateness split by legal cause, and the counts against the courts' local deadlines.
      over30CoveredByDeferral: Number(overall?.over30_covered ?? 0),
      over30WithoutLegalCause: Number(overall?.over30_without_cause ?? 0),
      withLocalDeadline: Number(overall?.local_payouts ?? 0),
      withinLocalDeadline: Number(overall?.within_local ?? 0),
      overLocalDeadline: Number(overall?.over_local ?? 0),
      overLocalDeadlineOnly: Number(overall?.over_local_only ?? 0),
    },
    conventions: CONVENTIONS,
    generatedAt: new Date().toISOString(),
  };
}
