import type { Writable } from "node:stream";
import type { Knex } from "knex";
import ExcelJS from "exceljs";
import { csvLine, UTF8_BOM } from "../core/csv";
import { reply, type Reply } from "../core/reply";

/**
 * A report reads one consistent snapshot (repeatable read, read-only), and sorts hundreds of
 * thousands of rows: give it room to sort in memory.
 */
export const REPORT_WORK_MEM = "64MB";

export async function inReportTransaction<T>(knex: Knex, work: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
  return knex.transaction(async (tx) => {
    await tx.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    await tx.raw(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
    return work(tx);
  });
}

/**
 * Rows of a report query, a batch at a time, through a server-side cursor: an export of a
 * million payouts holds one batch in memory, on PostgreSQL and on PGlite alike.
 */
export async function* cursorRows<T>(knex: Knex, sql: string, bindings: Record<string, unknown>, batchSize = 2000): AsyncGenerator<T[]> {
  const tx = await knex.transaction();
  let finished = false;
  try {
    await tx.raw("SET TRANSACTION READ ONLY");
    await tx.raw(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
    await tx.raw(`DECLARE report_rows NO SCROLL CURSOR FOR ${sql}`, bindings as Knex.ValueDict);
    for (;;) {
      const { rows } = await tx.raw<{ rows: T[] }>(`FETCH ${batchSize} FROM report_rows`);
      if (rows.length === 0) break;
      yield rows;
    }
    finished = true;
    await tx.commit();
  } finally {
    if (!finished) await tx.rollback().catch(() => undefined);
  }
}

function write(out: Writable, chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (out.write(chunk)) resolve();
    else out.once("drain", () => resolve());
  });
}

/** A report export as the runner answers it: a download, never cached. */
export function exportReply(filename: string, contentType: string, write: (out: Writable) => Promise<void>): Reply {
  return reply.stream(write, { contentType, filename, headers: { "Cache-Control": "no-store" } });
}

/** A CSV with a UTF-8 BOM (so that spreadsheet programs in Chinese locales read it right), streamed. */
export function csvExport<T>(filename: string, header: string[], batches: () => AsyncIterable<T[]>, toFields: (row: T) => (string | number | null)[]): Reply {
  return exportReply(filename, "text/csv; charset=utf-8", async (out) => {
    await write(out, UTF8_BOM + csvLine(header));
    for await (const rows of batches()) {
      if (out.destroyed) break;
      await write(out, rows.map((r) => csvLine(toFields(r))).join(""));
    }
    out.end();
  });
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export interface XlsxColumn {
  header: string;
  key: string;
  width: number;
  money?: boolean;
}

/** An XLSX workbook, streamed: a summary sheet of label/value pairs, then a detail sheet row by row. */
export function xlsxExport<T>(
  filename: string,
  summary: { title: string; rows: [string, string | number][] },
  detail: { title: string; columns: XlsxColumn[]; batches: () => AsyncIterable<T[]>; toRow: (row: T) => Record<string, string | number | null> },
): Reply {
  return exportReply(filename, XLSX_TYPE, (out) => writeXlsx(out, summary, detail));
}

async function writeXlsx<T>(
  out: Writable,
  summary: { title: string; rows: [string, string | number][] },
  detail: { title: string; columns: XlsxColumn[]; batches: () => AsyncIterable<T[]>; toRow: (row: T) => Record<string, string | number | null> },
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(summary.title);
  sheet.columns = [
    { header: "", key: "label", width: 36 },
    { header: "", key: "value", width: 48 },
  ];
  for (const [label, value] of summary.rows) sheet.addRow({ label, value }).commit();
  sheet.commit();

  const rows = workbook.addWorksheet(detail.title);
  rows.columns = detail.columns.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.money ? { numFmt: "#,##0.00" } : {} }));
  rows.getRow(1).font = { bold: true };
  for await (const batch of detail.batches()) {
    for (const r of batch) rows.addRow(detail.toRow(r)).commit();
  }
  rows.commit();
  await workbook.commit();
}
