import ExcelJS from "exceljs";
import { MoneyDecimal, toSpreadsheetNumber, ZERO, type Money } from "../core/money";
import { csvRecord } from "./statement-csv";
import type { LayoutColumn, StatementLayout } from "./statement-layouts";
import type { DateFormat } from "./statement-values";
import { encodeGb18030 } from "./text-encoding";

/**
 * Statement files as a bank would export them, for tests and the demo: the bank's title lines,
 * its header, its date and amount style, its padding, order and 合计 row, in UTF-8 (with or
 * without BOM), GB18030, or XLSX (amounts as number cells, as banks' workbooks have them;
 * account numbers and references as text).
 */

export interface GeneratedLine {
  valueDate: string; // YYYY-MM-DD
  time?: string; // HH:MM:SS
  bookedOn?: string;
  direction: "credit" | "debit";
  amount: Money;
  balanceAfter?: Money; // computed from openingBalance when not given
  counterpartyName?: string;
  counterpartyAccount?: string;
  counterpartyBank?: string;
  summary?: string; // 摘要: the bank's own word ("转账", "跨行汇款"), in the first remark column
  remark?: string; // 附言/用途/备注: what the payer wrote, in the last remark column
  bankReference?: string;
  virtualAccount?: string;
}

export interface StatementFileSpec {
  layout: StatementLayout;
  account: { number: string; name: string };
  lines: GeneratedLine[]; // oldest first; a newest-first layout writes them the other way round
  openingBalance?: Money;
  period?: { from: string; to: string };
}

export type StatementCsvEncoding = "utf-8" | "utf-8-bom" | "gb18030";

export function statementCsv(spec: StatementFileSpec, encoding: StatementCsvEncoding = "utf-8"): Buffer {
  const text = statementRows(spec, "csv")
    .map((row) => csvRecord(row.map((c) => (typeof c === "string" ? c : c.text))))
    .join("");
  if (encoding === "gb18030") return encodeGb18030(text);
  return Buffer.from((encoding === "utf-8-bom" ? "\uFEFF" : "") + text, "utf8");
}

export async function statementXlsx(spec: StatementFileSpec): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("交易明细");
  for (const row of statementRows(spec, "xlsx")) {
    const added = sheet.addRow(row.map((c) => (typeof c === "string" ? c : c.money === undefined ? c.text : toSpreadsheetNumber(c.money))));
    row.forEach((c, i) => {
      if (typeof c !== "string" && c.money !== undefined) added.getCell(i + 1).numFmt = spec.layout.render.grouping ? "#,##0.00" : "0.00";
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function generateStatement(spec: StatementFileSpec, format: { kind: "csv"; encoding?: StatementCsvEncoding } | { kind: "xlsx" }): Promise<Buffer> {
  return format.kind === "xlsx" ? statementXlsx(spec) : statementCsv(spec, format.encoding);
}

/** A cell: plain text, or an amount (text for CSV, a number cell for XLSX). */
type Cell = string | { text: string; money?: Money };

function statementRows(spec: StatementFileSpec, target: "csv" | "xlsx"): Cell[][] {
  const { layout } = spec;
  const lines = withBalances(spec.lines, spec.openingBalance);
  const period = spec.period ?? periodOf(lines);
  const rows: Cell[][] = layout.render.titleRows({ accountNumber: spec.account.number, accountName: spec.account.name, ...period });
  rows.push(layout.columns.map((c) => c.header));
  const ordered = layout.render.newestFirst ? [...lines].reverse() : lines;
  const pad = layout.render.padCells && target === "csv";
  for (const line of ordered) {
    const cells = layout.columns.map((col) => cellFor(col, line, spec));
    rows.push(pad ? cells.map(padCell) : cells);
  }
  if (layout.render.summaryLabel) rows.push(summaryRow(spec, lines));
  return rows;
}

function cellFor(col: LayoutColumn, line: GeneratedLine, spec: StatementFileSpec): Cell {
  const { layout } = spec;
  const r = layout.render;
  const remarkColumns = layout.columns.filter((c) => c.field === "remark");
  switch (col.field) {
    case "transactionDate":
      return formatDate(line.valueDate, r.date) + (r.dateWithTime ? " " + (line.time ?? "00:00:00") : "");
    case "transactionTime":
      return (line.time ?? "00:00:00").replace(/:/g, "");
    case "valueDate":
      return formatDate(line.valueDate, r.date);
    case "bookedOn":
      return formatDate(line.bookedOn ?? line.valueDate, r.date);
    case "credit":
    case "debit":
      return line.direction === col.field ? money(line.amount, layout) : r.unusedAmount === "" ? "" : money(ZERO, layout);
    case "amount":
      return signedAmount(line, layout);
    case "direction": {
      const style = layout.amountStyle;
      return style.style === "direction" ? (line.direction === "credit" ? style.credit[0] : style.debit[0]) : "";
    }
    case "balance":
      return line.balanceAfter ? money(line.balanceAfter, layout) : "";
    case "currency":
      return col.filler ?? "人民币";
    case "remark":
      return remarkCell(line, remarkColumns.indexOf(col), remarkColumns.length);
    case "accountNumber":
      return spec.account.number;
    case "accountName":
      return spec.account.name;
    case undefined:
      return col.filler ?? "";
    default:
      return line[col.field] ?? "";
  }
}

function remarkCell(line: GeneratedLine, which: number, count: number): string {
  if (count === 1) return [line.summary, line.remark].filter(Boolean).join(" / ");
  if (which === 0) return line.summary ?? "";
  return which === count - 1 ? (line.remark ?? "") : "";
}

function signedAmount(line: GeneratedLine, layout: StatementLayout): Cell {
  const cell = money(line.amount, layout);
  if (layout.amountStyle.style !== "signed") return cell;
  const sign = line.direction === "debit" ? "-" : layout.render.signedPlus ? "+" : "";
  return { text: sign + cell.text, money: line.direction === "debit" ? line.amount.negated() : line.amount };
}

function money(value: Money, layout: StatementLayout): { text: string; money: Money } {
  const fixed = value.toFixed(2);
  return { text: layout.render.grouping ? group(fixed) : fixed, money: value };
}

function group(fixed: string): string {
  const [whole, decimals] = fixed.replace("-", "").split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (fixed.startsWith("-") ? "-" : "") + grouped + "." + decimals;
}

/** ICBC's export pads each cell with blanks to a width and ends it with a tab. */
function padCell(cell: Cell): Cell {
  const text = typeof cell === "string" ? cell : cell.text;
  const padded = text.padEnd(20, " ") + "\t";
  return typeof cell === "string" ? padded : { ...cell, text: padded };
}

function summaryRow(spec: StatementFileSpec, lines: GeneratedLine[]): Cell[] {
  const total = (d: "credit" | "debit") => lines.filter((l) => l.direction === d).reduce((s, l) => s.plus(l.amount), ZERO as Money);
  return spec.layout.columns.map((col, i) => {
    if (i === 0) return spec.layout.render.summaryLabel ?? "合计";
    if (col.field === "credit" || col.field === "debit") return money(total(col.field), spec.layout);
    return "";
  });
}

function withBalances(lines: GeneratedLine[], opening: Money | undefined): GeneratedLine[] {
  if (opening === undefined) return lines;
  let running = new MoneyDecimal(opening);
  return lines.map((line) => {
    running = line.balanceAfter ?? (line.direction === "credit" ? running.plus(line.amount) : running.minus(line.amount));
    return { ...line, balanceAfter: running };
  });
}

function periodOf(lines: GeneratedLine[]): { from: string; to: string } {
  const dates = lines.map((l) => l.valueDate).sort();
  const first = dates[0] ?? "2000-01-01";
  return { from: first, to: dates[dates.length - 1] ?? first };
}

export function formatDate(date: string, format: DateFormat): string {
  const [y, m, d] = date.split("-");
  switch (format) {
    case "YYYYMMDD":
      return y + m + d;
    case "YYYY-MM-DD":
      return date;
    case "YYYY/M/D":
      return `${y}/${Number(m)}/${Number(d)}`;
    case "YYYY年M月D日":
      return `${y}年${Number(m)}月${Number(d)}日`;
  }
}
