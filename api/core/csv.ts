/**
 * The one CSV writer (RFC 4180, CRLF). Spreadsheet programs run a cell that starts with
 * = + - @ (or a tab or carriage return before one) as a formula, so such text gets a leading `'`
 * (OWASP's CSV injection advice); numbers are written as they are.
 */
const CSV_NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** Spreadsheet programs in Chinese locales read UTF-8 without a byte order mark as GBK. */
export const UTF8_BOM = "\uFEFF";

export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let s = String(value);
  if (typeof value === "string" && FORMULA_START.test(s)) s = "'" + s;
  return CSV_NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: readonly (string | number | null)[]): string {
  return fields.map(csvField).join(",") + "\r\n";
}

/** A whole CSV document in memory, with the byte order mark. */
export function csvDocument(rows: readonly (readonly (string | number | null)[])[]): string {
  return UTF8_BOM + rows.map(csvLine).join("");
}
