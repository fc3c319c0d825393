import { isValidDate } from "../core/dates";
import { MONEY_MAX, MoneyDecimal, type Money } from "../core/money";

/**
 * The cell values of a bank statement: amounts and dates as banks write them. Pure functions that
 * answer a result instead of throwing, so that the parser can collect every bad line of a file.
 */

export type ValueResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** What banks put in a cell that has nothing: ICBC writes "-" in the amount column not used. */
const EMPTY_MARKERS = new Set(["", "-", "--", "—", "/"]);

/** Blanks a bank pads cells with: spaces, tabs (ICBC ends every cell with one), the ideographic space. */
export function cleanCell(raw: string): string {
  let s = raw.replace(/^[\s\u3000\u00a0\ufeff]+|[\s\u3000\u00a0]+$/g, "");
  // An Excel text guard some exports use: ="6228480123456789012" is the text 6228480123456789012.
  const guarded = /^="(.*)"$/s.exec(s);
  if (guarded) s = guarded[1].replace(/""/g, '"');
  return s;
}

export function isEmptyCell(value: string): boolean {
  return EMPTY_MARKERS.has(value);
}

export interface SignedAmount {
  sign: "+" | "-" | "";
  value: Money; // never negative
}

const FULL_WIDTH = /[\uFF01-\uFF5E]/; // ０-９ ， ． ＋ － and the rest of the full-width ASCII block
const GROUPED = /^([+-])?(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/;
const PLAIN = /^([+-])?(\d+)(?:\.(\d+))?$/;

/**
 * An amount as a bank writes it: "1234.56", "1,234.56", "+10000.00", "-10.00", "191" (a number
 * cell). Refused, with the reason said: full-width digits or commas (a bank's export never has
 * them; they mean the figure was retyped, and retyped money must not become a receipt unseen —
 * so we refuse rather than normalise), grouping that is not in threes, more than two decimals
 * unless the extra ones are zeros (fractions of a fen), exponents, currency signs, anything else.
 * `null` for an empty cell.
 */
export function parseStatementAmount(raw: string, options: { thousandsSeparators: boolean }): ValueResult<SignedAmount | null> {
  const text = cleanCell(raw);
  if (isEmptyCell(text)) return { ok: true, value: null };
  if (FULL_WIDTH.test(text)) {
    return { ok: false, message: `"${shown(text)}" has full-width characters (such as １ ， ．); amounts must be written with ASCII digits` };
  }
  let m = PLAIN.exec(text);
  if (!m && options.thousandsSeparators) m = GROUPED.exec(text);
  if (!m) {
    const why = text.includes(",") && !options.thousandsSeparators ? " (this layout has no thousands separators)" : "";
    return { ok: false, message: `"${shown(text)}" is not an amount${why}` };
  }
  const [, sign = "", whole, decimals = ""] = m;
  if (/[1-9]/.test(decimals.slice(2))) return { ok: false, message: `"${shown(text)}" has fractions of a fen` };
  const value = new MoneyDecimal(`${whole.replace(/,/g, "")}.${(decimals + "00").slice(0, 2)}`);
  if (value.gt(MONEY_MAX)) return { ok: false, message: `"${shown(text)}" is larger than any amount we keep` };
  return { ok: true, value: { sign: sign as SignedAmount["sign"], value } };
}

export const DATE_FORMATS = ["YYYY-MM-DD", "YYYY/M/D", "YYYYMMDD", "YYYY年M月D日"] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const DATE_PATTERNS: Record<DateFormat, RegExp> = {
  "YYYY-MM-DD": /^(\d{4})-(\d{1,2})-(\d{1,2})/,
  "YYYY/M/D": /^(\d{4})\/(\d{1,2})\/(\d{1,2})/,
  YYYYMMDD: /^(\d{4})(\d{2})(\d{2})(?!\d)/,
  "YYYY年M月D日": /^(\d{4})年(\d{1,2})月(\d{1,2})日/,
};

/** After the date, a time may follow: "2024-03-11 14:05:09", "20260105 18:22:21", "2024/3/11 9:05". */
const TIME_SUFFIX = /^(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?$/;

export interface StatementDate {
  date: string; // YYYY-MM-DD
  time?: string; // HH:MM:SS
}

export function parseStatementDate(raw: string, formats: readonly DateFormat[]): ValueResult<StatementDate> {
  const text = cleanCell(raw);
  for (const format of formats) {
    const m = DATE_PATTERNS[format].exec(text);
    if (!m) continue;
    const date = `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}`;
    const rest = TIME_SUFFIX.exec(text.slice(m[0].length));
    if (!rest) continue;
    if (!isValidDate(date)) return { ok: false, message: `"${shown(text)}" is not a real date` };
    if (rest[1] === undefined) return { ok: true, value: { date } };
    const time = checkTime(rest[1], rest[2], rest[3] ?? "00");
    if (!time) return { ok: false, message: `"${shown(text)}" has a time that does not exist` };
    return { ok: true, value: { date, time } };
  }
  return { ok: false, message: `"${shown(text)}" is not a date in the form ${formats.join(" or ")}` };
}

/** A time column on its own: "14:05:09", "140509" (ABC), "9:05". */
export function parseStatementTime(raw: string): ValueResult<string | null> {
  const text = cleanCell(raw);
  if (isEmptyCell(text)) return { ok: true, value: null };
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text) ?? /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  const time = m ? checkTime(m[1], m[2], m[3] ?? "00") : null;
  return time ? { ok: true, value: time } : { ok: false, message: `"${shown(text)}" is not a time` };
}

function checkTime(h: string, m: string, s: string): string | null {
  if (Number(h) > 23 || Number(m) > 59 || Number(s) > 59) return null;
  return `${h.padStart(2, "0")}:${m}:${s}`;
}

/** A value quoted back in a message, cut short so that one silly cell cannot flood the answer. */
export function shown(text: string): string {
  return text.length > 40 ? text.slice(0, 40) + "…" : text;
}
