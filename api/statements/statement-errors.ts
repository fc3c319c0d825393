import { ValidationError, type FieldError, type ProblemReason } from "../core/errors";

/**
 * Why a statement file was refused. The error code is always `validation_failed` (the file is the
 * client's input); `reason` lets the service choose the status — `missing_column` and
 * `bad_encoding` are 422 (the file is well-formed but not what we can read), the per-line reasons
 * name what the bank's file says wrongly.
 */
export const STATEMENT_ERROR_REASONS = [
  "missing_column", // no header row with every column the layout needs
  "bad_encoding", // not UTF-8 or GB18030, replacement characters, or mojibake
  "bad_file", // truncated or corrupt XLSX, broken CSV quoting, an XLSX sent as CSV
  "unsupported_format", // .xls (Excel 97-2003), UTF-16 text
  "bad_amount", // negative, non-numeric, full-width, fractions of a fen, both sides filled
  "bad_direction", // a 借贷标志 that is neither credit nor debit
  "bad_date", // a date or time that does not parse
  "future_date", // a value date after today
  "bad_account_number", // an account number a spreadsheet turned into a rounded number
  "bad_currency", // a line in another currency than 人民币
  "mixed_accounts", // lines of more than one account, or rows that contradict the title
  "too_many_lines",
  "bad_layout", // a shipped layout or mapping that cannot work (a bug or a bad mapping)
] as const;

export type StatementErrorReason = (typeof STATEMENT_ERROR_REASONS)[number];

/** All line errors of one file, reported together: the file is refused whole, never half-read. */
export class StatementError extends ValidationError {
  constructor(
    readonly reason: StatementErrorReason & ProblemReason,
    detail: string,
    errors: FieldError[],
    extra: Record<string, unknown> = {},
  ) {
    super(errors, detail, { ...extra, reason });
    this.name = "StatementError";
  }
}

/** One problem found while reading lines; many are collected before the file is refused. */
export interface LineError extends FieldError {
  reason: StatementErrorReason;
}

/** At most this many line errors are reported: enough to fix a file, not a 10,000-line dump. */
export const MAX_REPORTED_ERRORS = 50;

export function lineErrorsToStatementError(errors: LineError[]): StatementError {
  const reported = errors.slice(0, MAX_REPORTED_ERRORS);
  const reasons = [...new Set(errors.map((e) => e.reason))];
  const more = errors.length > reported.length ? ` (the first ${reported.length} of ${errors.length} are listed)` : "";
  return new StatementError(
    reasons[0],
    `The statement was not imported: ${errors.length} line problem(s)${more}. Nothing was read from it.`,
    reported.map(({ path, message }) => ({ path, message })),
    { reasons, errorCount: errors.length },
  );
}

export function linePath(lineNo: number, field: string): string {
  return `file.line.${lineNo}.${field}`;
}
