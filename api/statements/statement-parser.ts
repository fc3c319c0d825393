import assert from "node:assert/strict";
import { isValidDate } from "../core/dates";
import { isColumnMapping, layoutFromMapping, type ColumnMapping } from "./column-mapping";
import { StatementError, lineErrorsToStatementError, type LineError } from "./statement-errors";
import { parseCsv } from "./statement-csv";
import { accountFromTitle, findHeader, HEADER_SEARCH_ROWS, mapHeaderRow, type HeaderMap, type Row } from "./statement-header";
import { requiredFields, type StatementLayout } from "./statement-layouts";
import { readLine, type LineOutcome } from "./statement-line";
import { orderAndBalances } from "./statement-balances";
import { readXlsxSheets } from "./statement-xlsx";
import { decodeStatementText, explainMojibake } from "./text-encoding";
import type { Money } from "../core/money";

export type StatementFileKind = "csv" | "xlsx";

/** One line of the bank's statement, as the bank gave it. Amounts are positive; `direction` says which way. */
export interface StatementLine {
  lineNo: number; // the line (CSV) or row (XLSX) of the file
  valueDate: string; // 起息日 where given, else the transaction date
  bookedOn?: string; // 记账日期, where the file has it apart
  direction: "credit" | "debit";
  amount: Money;
  balanceAfter?: Money;
  counterpartyName?: string;
  counterpartyAccount?: string;
  counterpartyBank?: string;
  remark?: string; // 摘要, 附言, 用途, 备注 — every such column, joined with " / "
  bankReference?: string;
  virtualAccount?: string;
}

/** What was noticed but did not stop the import. */
export interface StatementProblem {
  lineNo?: number;
  kind: "skipped_summary" | "skipped_note" | "skipped_zero_amount" | "balance_discontinuity" | "dates_out_of_order" | "masked_account";
  message: string;
}

export interface ParsedStatement {
  layout: string;
  account?: { number: string; name?: string };
  lines: StatementLine[]; // in the order of the file
  openingBalance?: Money;
  closingBalance?: Money; // the balance after the last line in time
  period?: { from: string; to: string }; // of the value dates
  problems: StatementProblem[];
}

export interface ParseOptions {
  today: string; // YYYY-MM-DD, China time: a value date after it is refused
  maxLines?: number;
}

export const DEFAULT_MAX_LINES = 100_000;

/**
 * Reads a bank statement file — all of it or nothing: any bad line refuses the file, with every
 * bad line named (`file.line.12.amount`). The statement's account comes from its title lines or
 * its 账号 column; checking that it is the court's is the service's job.
 */
export async function parseStatement(
  file: Buffer,
  kind: StatementFileKind,
  layoutOrMapping: StatementLayout | ColumnMapping,
  options: ParseOptions,
): Promise<ParsedStatement> {
  assert.ok(isValidDate(options.today), `today must be a date, not ${options.today}`);
  const layout = isColumnMapping(layoutOrMapping) ? layoutFromMapping(layoutOrMapping) : layoutOrMapping;
  const { rows, header } = await readTable(file, kind, layout);
  const problems: StatementProblem[] = [];
  const dataRows = rows.slice(header.index + 1);
  const maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
  if (dataRows.length > maxLines) {
    throw new StatementError("too_many_lines", `The file has ${dataRows.length} rows; at most ${maxLines} are read in one import`, [
      { path: "file", message: `more than ${maxLines} rows` },
    ]);
  }
  const lines: StatementLine[] = [];
  const errors: LineError[] = [];
  const rowAccounts = new Map<string, { name?: string; lineNo: number }>();
  for (const row of dataRows) {
    const outcome: LineOutcome = readLine(row, header, layout, options.today);
    if (outcome.kind === "line") lines.push(outcome.line);
    else if (outcome.kind === "errors") errors.push(...outcome.errors);
    else if (outcome.kind === "skipped") problems.push(outcome.problem);
    if (outcome.kind === "line" && outcome.account) rowAccounts.set(outcome.account.number, { name: outcome.account.name, lineNo: row.lineNo });
  }
  if (errors.length > 0) throw lineErrorsToStatementError(errors);
  const account = statementAccount(accountFromTitle(rows.slice(0, header.index)), rowAccounts, problems);
  const balances = orderAndBalances(lines, problems);
  return { layout: layout.name, account, lines, ...balances, problems };
}

/** The rows and the header: of the CSV, or of the first worksheet that has the layout's header. */
async function readTable(file: Buffer, kind: StatementFileKind, layout: StatementLayout): Promise<{ rows: Row[]; header: HeaderMap }> {
  const { sheets, text } = await readRows(file, kind);
  if (text !== undefined) {
    const rows = sheets[0];
    return { rows, header: findHeader(rows, layout, () => explainMojibake(text, (t) => hasHeader(t, layout))) };
  }
  const hasHeaderRow = (rows: Row[]) =>
    rows.slice(0, HEADER_SEARCH_ROWS).some((r) => {
      const columns = mapHeaderRow(r.cells, layout);
      return requiredFields(layout).every((f) => columns.has(f));
    });
  const rows = sheets.find(hasHeaderRow) ?? sheets[0] ?? [];
  return { rows, header: findHeader(rows, layout) };
}

async function readRows(file: Buffer, kind: StatementFileKind): Promise<{ sheets: Row[][]; text?: string }> {
  if (file.length === 0) throw new StatementError("bad_file", "The file is empty", [{ path: "file", message: "no bytes" }]);
  const magic = file.subarray(0, 4).toString("hex");
  if (magic === "d0cf11e0") {
    throw new StatementError("unsupported_format", "This is an .xls (Excel 97-2003) workbook; save it as .xlsx or CSV and import that", [
      { path: "file", message: "OLE2 compound file (.xls)" },
    ]);
  }
  if (magic === "504b0304") return { sheets: await readXlsxSheets(file) }; // a zip: XLSX, whatever it was sent as
  if (kind === "xlsx") {
    throw new StatementError("bad_file", "The file is not an XLSX workbook (it is not a zip archive)", [{ path: "file", message: "not a zip archive" }]);
  }
  const { text } = decodeStatementText(file);
  return { sheets: [parseCsv(text)], text };
}

/** For the mojibake check: would this text, read as CSV, have the layout's header? */
function hasHeader(text: string, layout: StatementLayout): boolean {
  try {
    const rows = parseCsv(text).slice(0, HEADER_SEARCH_ROWS);
    return rows.some((r) => {
      const cols = mapHeaderRow(r.cells, layout);
      return cols.has("transactionDate") && cols.size >= 2;
    });
  } catch {
    return false;
  }
}

function statementAccount(
  title: { number?: string; name?: string },
  rowAccounts: Map<string, { name?: string; lineNo: number }>,
  problems: StatementProblem[],
): ParsedStatement["account"] {
  if (rowAccounts.size > 1) {
    const numbers = [...rowAccounts.keys()];
    throw new StatementError("mixed_accounts", `The file holds lines of ${numbers.length} accounts; import one account's statement at a time`, [
      ...numbers.map((n) => ({ path: `file.line.${rowAccounts.get(n)!.lineNo}.accountNumber`, message: `account ${n}` })),
    ]);
  }
  const [rowNumber] = rowAccounts.keys();
  if (rowNumber && title.number && !sameAccount(rowNumber, title.number)) {
    throw new StatementError("mixed_accounts", `The title says account ${title.number} but the lines are of account ${rowNumber}`, [
      { path: `file.line.${rowAccounts.get(rowNumber)!.lineNo}.accountNumber`, message: `account ${rowNumber}, title ${title.number}` },
    ]);
  }
  const number = rowNumber ?? title.number;
  if (!number) return undefined;
  if (number.includes("*")) problems.push({ kind: "masked_account", message: `the file shows the account masked (${number}); give the account number with the import` });
  const name = (rowNumber ? rowAccounts.get(rowNumber)!.name : undefined) ?? title.name;
  return name ? { number, name } : { number };
}

/** A masked title ("6222****9876") agrees with the full number if the visible digits agree. */
function sameAccount(full: string, shown: string): boolean {
  if (!shown.includes("*")) return full === shown;
  const [head] = shown.split("*");
  const tail = shown.slice(shown.lastIndexOf("*") + 1);
  return full.startsWith(head) && full.endsWith(tail) && full.length >= head.length + tail.length;
}

/** `text/csv`, the XLSX type, or (browsers) a generic type with the file name's extension. */
export function statementKindFromContentType(contentType: string | undefined, fileName?: string): StatementFileKind | undefined {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "text/csv" || type === "application/csv" || type === "text/comma-separated-values") return "csv";
  if (type === "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") return "xlsx";
  const ext = fileName?.toLowerCase().match(/\.(csv|xlsx)$/)?.[1];
  if (ext && (type === "" || type === "application/octet-stream" || type === "text/plain" || type === "application/vnd.ms-excel")) return ext as StatementFileKind;
  return undefined;
}
