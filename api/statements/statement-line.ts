import type { Money } from "../core/money";
import { linePath, type LineError, type StatementErrorReason } from "./statement-errors";
import type { HeaderMap, Row } from "./statement-header";
import type { StatementField, StatementLayout } from "./statement-layouts";
import type { StatementLine, StatementProblem } from "./statement-parser";
import { cleanCell, isEmptyCell, parseStatementAmount, parseStatementDate, parseStatementTime, shown, type SignedAmount } from "./statement-values";

export type LineOutcome =
  | { kind: "line"; line: StatementLine; account?: { number: string; name?: string } }
  | { kind: "errors"; errors: LineError[] }
  | { kind: "skipped"; problem: StatementProblem }
  | { kind: "blank" };

/**
 * 人民币合计, 本页合计, 总计, 交易笔数… — the rows banks add under the lines, recognised by their
 * first cell (or the date column), never by a word in a remark: a payment whose remark says 合计
 * and whose date is wrong is a bad line, not a summary.
 */
const SUMMARY = /合计|总计|小计|累计|笔数/;
const CNY = new Set(["人民币", "人民币元", "CNY", "RMB", "156", "001"]); // 156: ISO 4217; 001: ICBC's code

class LineReader {
  readonly errors: LineError[] = [];
  constructor(
    readonly row: Row,
    readonly header: HeaderMap,
    readonly layout: StatementLayout,
  ) {}

  has(field: StatementField): boolean {
    return this.header.columns.has(field);
  }
  cell(field: StatementField): string {
    const col = this.header.columns.get(field)?.[0];
    return col === undefined ? "" : cleanCell(this.row.cells[col] ?? "");
  }
  columnName(field: StatementField): string {
    const col = this.header.columns.get(field)?.[0];
    return col === undefined ? field : this.header.names[col];
  }
  fail(path: string, reason: StatementErrorReason, message: string): undefined {
    this.errors.push({ path: linePath(this.row.lineNo, path), reason, message });
    return undefined;
  }
  text(field: StatementField): string | undefined {
    const v = this.cell(field);
    return isEmptyCell(v) ? undefined : v;
  }
  /** An account number or reference must be exact: a spreadsheet number cell that lost digits is refused. */
  digits(field: StatementField, path: string): string | undefined {
    const col = this.header.columns.get(field)?.[0];
    if (col !== undefined && this.row.lossy?.has(col)) {
      return this.fail(path, "bad_account_number", `${this.columnName(field)} "${shown(this.cell(field))}" was stored as a number and lost digits; export the file with it as text`);
    }
    return this.text(field)?.replace(/\s/g, "");
  }
  amount(field: StatementField): SignedAmount | null | undefined {
    const parsed = parseStatementAmount(this.cell(field), { thousandsSeparators: this.layout.thousandsSeparators });
    if (!parsed.ok) return this.fail("amount", "bad_amount", `${this.columnName(field)}: ${parsed.message}`);
    return parsed.value;
  }
  date(field: StatementField, path: string, today: string): string | undefined {
    const raw = this.cell(field);
    if (isEmptyCell(raw)) return undefined;
    const col = this.header.columns.get(field)?.[0];
    const formats = col !== undefined && this.row.dateCells?.has(col) ? [...this.layout.dateFormats, "YYYY-MM-DD" as const] : this.layout.dateFormats;
    const parsed = parseStatementDate(raw, formats);
    if (!parsed.ok) return this.fail(path, "bad_date", `${this.columnName(field)}: ${parsed.message}`);
    if (parsed.value.date > today) return this.fail(path, "future_date", `${this.columnName(field)} ${parsed.value.date} is after today (${today})`);
    return parsed.value.date;
  }
}

/** Reads one row after the header: a line, the reasons it is wrong, or a row that is no line at all. */
export function readLine(row: Row, header: HeaderMap, layout: StatementLayout, today: string): LineOutcome {
  const r = new LineReader(row, header, layout);
  const cells = row.cells.map(cleanCell);
  if (cells.every((c) => c === "")) return { kind: "blank" };
  const dateText = r.cell("transactionDate");
  const dateParses = parseStatementDate(dateText, layout.dateFormats).ok;
  const firstCell = cells.find((c) => c !== "") ?? "";
  if (!dateParses && (SUMMARY.test(firstCell) || SUMMARY.test(dateText))) {
    return { kind: "skipped", problem: { lineNo: row.lineNo, kind: "skipped_summary", message: `summary row skipped: ${shown(cells.filter(Boolean).join(" "))}` } };
  }
  const amountFields: StatementField[] = layout.amountStyle.style === "two-columns" ? ["credit", "debit"] : ["amount"];
  if (!dateParses && amountFields.every((f) => isEmptyCell(r.cell(f)))) {
    return { kind: "skipped", problem: { lineNo: row.lineNo, kind: "skipped_note", message: `row without a date or an amount skipped: ${shown(cells.filter(Boolean).join(" "))}` } };
  }
  const line = readFields(r, today);
  if (r.errors.length > 0) return { kind: "errors", errors: r.errors };
  if (line === "zero") {
    return { kind: "skipped", problem: { lineNo: row.lineNo, kind: "skipped_zero_amount", message: "a line of 0.00 skipped (it moves no money)" } };
  }
  const number = r.digits("accountNumber", "accountNumber");
  return { kind: "line", line: line!, account: number ? { number, name: r.text("accountName") } : undefined };
}

function readFields(r: LineReader, today: string): StatementLine | "zero" | undefined {
  const transactionDate = r.date("transactionDate", "valueDate", today);
  if (!transactionDate && r.errors.length === 0) r.fail("valueDate", "bad_date", `${r.columnName("transactionDate")} is empty`);
  if (r.has("transactionTime")) {
    const time = parseStatementTime(r.cell("transactionTime"));
    if (!time.ok) r.fail("time", "bad_date", `${r.columnName("transactionTime")}: ${time.message}`);
  }
  const valueDate = r.has("valueDate") ? (r.date("valueDate", "valueDate", today) ?? transactionDate) : transactionDate;
  const booked = r.has("bookedOn") ? r.date("bookedOn", "bookedOn", today) : undefined;
  const bookedOn = booked ?? (r.has("valueDate") && valueDate !== transactionDate ? transactionDate : undefined);
  const moved = readAmount(r);
  const balanceAfter = readBalance(r);
  const currency = r.text("currency");
  if (currency !== undefined && !CNY.has(currency.toUpperCase())) r.fail("currency", "bad_currency", `${r.columnName("currency")} is "${shown(currency)}"; only 人民币 lines are imported`);
  const counterpartyAccount = r.digits("counterpartyAccount", "counterpartyAccount");
  const bankReference = r.digits("bankReference", "bankReference");
  const virtualAccount = r.digits("virtualAccount", "virtualAccount");
  if (r.errors.length > 0 || !valueDate || moved === undefined) return undefined;
  if (moved === "zero") return "zero";
  const remarks = (r.header.columns.get("remark") ?? []).map((c) => cleanCell(r.row.cells[c] ?? "")).filter((v) => !isEmptyCell(v));
  const line: StatementLine = { lineNo: r.row.lineNo, valueDate, direction: moved.direction, amount: moved.amount };
  if (bookedOn) line.bookedOn = bookedOn;
  if (balanceAfter) line.balanceAfter = balanceAfter;
  const optional = {
    counterpartyName: r.text("counterpartyName"),
    counterpartyAccount,
    counterpartyBank: r.text("counterpartyBank"),
    remark: remarks.length ? [...new Set(remarks)].join(" / ") : undefined,
    bankReference,
    virtualAccount,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (line as unknown as Record<string, string>)[k] = v;
  return line;
}

type Moved = { direction: "credit" | "debit"; amount: Money } | "zero" | undefined;

function readAmount(r: LineReader): Moved {
  const style = r.layout.amountStyle;
  if (style.style === "two-columns") {
    const credit = r.amount("credit");
    const debit = r.amount("debit");
    if (credit === undefined || debit === undefined) return undefined;
    for (const [field, a] of [["credit", credit], ["debit", debit]] as const) {
      if (a?.sign === "-") return r.fail("amount", "bad_amount", `${r.columnName(field)} is negative (${a.sign}${a.value.toFixed(2)}); a statement amount is never negative`);
    }
    const c = credit && credit.value.gt(0) ? credit.value : undefined;
    const d = debit && debit.value.gt(0) ? debit.value : undefined;
    if (c && d) return r.fail("amount", "bad_amount", `both ${r.columnName("credit")} and ${r.columnName("debit")} hold an amount`);
    if (c) return { direction: "credit", amount: c };
    if (d) return { direction: "debit", amount: d };
    if (!credit && !debit) return r.fail("amount", "bad_amount", `neither ${r.columnName("credit")} nor ${r.columnName("debit")} holds an amount`);
    return "zero";
  }
  const a = r.amount("amount");
  if (a === undefined) return undefined;
  if (a === null) return r.fail("amount", "bad_amount", `${r.columnName("amount")} is empty`);
  if (style.style === "signed") return a.value.isZero() ? "zero" : { direction: a.sign === "-" ? "debit" : "credit", amount: a.value };
  if (a.sign === "-") return r.fail("amount", "bad_amount", `${r.columnName("amount")} is negative; with a ${r.columnName("direction")} column amounts are never negative`);
  const flag = r.cell("direction").replace(/\s/g, "").toUpperCase();
  const isCredit = style.credit.some((v) => v.toUpperCase() === flag);
  const isDebit = style.debit.some((v) => v.toUpperCase() === flag);
  if (isCredit === isDebit) return r.fail("direction", "bad_direction", `${r.columnName("direction")} "${shown(flag)}" is neither ${style.credit.join("/")} nor ${style.debit.join("/")}`);
  return a.value.isZero() ? "zero" : { direction: isCredit ? "credit" : "debit", amount: a.value };
}

/** A balance may be negative (an overdraft is the bank's fact to report), unlike an amount. */
function readBalance(r: LineReader): Money | undefined {
  if (!r.has("balance")) return undefined;
  const parsed = parseStatementAmount(r.cell("balance"), { thousandsSeparators: r.layout.thousandsSeparators });
  if (!parsed.ok) return r.fail("balanceAfter", "bad_amount", `${r.columnName("balance")}: ${parsed.message}`);
  if (!parsed.value) return undefined;
  return parsed.value.sign === "-" ? parsed.value.value.negated() : parsed.value.value;
}
