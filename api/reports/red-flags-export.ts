import type { Knex } from "knex";
import { toSpreadsheetNumber } from "../core/money";
import type { Reply } from "../core/reply";
import { csvExport, xlsxExport } from "./export";
import { RED_FLAG_KINDS, redFlagReport, type RedFlag, type RedFlagParams } from "./red-flags";

/** The red flags as CSV and XLSX: the same flags as the JSON, one row each, records as `type:id` pairs. */
const recordsText = (f: RedFlag) => f.records.map((r) => `${r.type}:${r.id}`).join(" ");

async function* once<T>(items: T[]): AsyncGenerator<T[]> {
  yield items;
}

export async function redFlagsCsv(db: Knex, p: RedFlagParams): Promise<Reply> {
  const report = await redFlagReport(db, p);
  return csvExport(`red-flags_${p.from}_${p.to}.csv`, ["kind", "court_id", "on", "amount", "explanation_zh", "explanation_en", "records"], () => once(report.flags), (f) => [
    f.kind,
    f.courtId,
    f.on,
    f.amount,
    f.explanation.zh,
    f.explanation.en,
    recordsText(f),
  ]);
}

export async function redFlagsXlsx(db: Knex, p: RedFlagParams): Promise<Reply> {
  const report = await redFlagReport(db, p);
  return xlsxExport(
    `red-flags_${p.from}_${p.to}.xlsx`,
    { title: "Summary 汇总", rows: [["Period 期间", `${p.from} – ${p.to}`], ...RED_FLAG_KINDS.map((k) => [k, report.counts[k]] as [string, number])] },
    {
      title: "Red flags 风险提示",
      columns: [
        { header: "Kind 类型", key: "kind", width: 28 },
        { header: "Date 日期", key: "on", width: 12 },
        { header: "Amount (yuan) 金额(元)", key: "amount", width: 16, money: true },
        { header: "说明", key: "zh", width: 60 },
        { header: "Explanation", key: "en", width: 60 },
        { header: "Records 关联记录", key: "records", width: 60 },
      ],
      batches: () => once(report.flags),
      toRow: (f) => ({ kind: f.kind, on: f.on, amount: f.amount === null ? null : toSpreadsheetNumber(f.amount), zh: f.explanation.zh, en: f.explanation.en, records: recordsText(f) }),
    },
  );
}
