import Decimal from "decimal.js";
import { z } from "zod";

/**
 * The only way money enters or leaves the system. On the wire money is a JSON string with at most
 * two decimals and no sign, exponent or blanks ("80000.00", "0.5"); in code it is a Decimal; in
 * PostgreSQL it is NUMERIC(20,2), bound as a fixed-point string.
 */
export const MoneyDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type Money = Decimal;

export const MONEY_MAX = new MoneyDecimal("9999999999999.99");
export const ZERO = new MoneyDecimal(0);

const WIRE_FORM = /^(0|[1-9][0-9]{0,12})(\.[0-9]{1,2})?$/;

export type MoneyParseResult = { ok: true; value: Money } | { ok: false; message: string };

export function parseMoney(input: unknown): MoneyParseResult {
  if (typeof input !== "string") {
    return { ok: false, message: "money must be a string such as \"80000.00\", not a " + (input === null ? "null" : typeof input) };
  }
  if (!WIRE_FORM.test(input)) {
    return {
      ok: false,
      message: "money must be digits with at most 2 decimals and no sign, exponent, grouping or blanks (e.g. \"80000.00\")",
    };
  }
  const value = new MoneyDecimal(input);
  if (value.gt(MONEY_MAX)) return { ok: false, message: "money must be at most 9999999999999.99" };
  return { ok: true, value };
}

/** Two decimals, no grouping, never exponent notation. */
export function formatMoney(value: Decimal.Value): string {
  return new MoneyDecimal(value).toFixed(2, Decimal.ROUND_HALF_UP);
}

/** From a NUMERIC column (always a string from our drivers) into a Decimal. */
export function moneyFromDb(value: string | null | undefined): Money {
  if (value === null || value === undefined) return ZERO;
  if (typeof value !== "string") throw new TypeError(`NUMERIC arrived as ${typeof value}; the driver must return strings`);
  return new MoneyDecimal(value);
}

/** For a bind value: a fixed-point string, because pg rejects Decimal objects. */
export function moneyToDb(value: Money): string {
  return value.toFixed(2);
}

export function sumMoney(values: Iterable<Money>): Money {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

/** A zod field for a money amount that must be greater than zero. */
export const positiveMoney = z.unknown().transform((input, ctx): Money => {
  const parsed = parseMoney(input);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  }
  if (parsed.value.lte(0)) {
    ctx.addIssue({ code: "custom", message: "amount must be greater than 0" });
    return z.NEVER;
  }
  return parsed.value;
});

/** A zod field for money that may be zero. */
export const nonNegativeMoney = z.unknown().transform((input, ctx): Money => {
  const parsed = parseMoney(input);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  }
  return parsed.value;
});

/**
 * For a spreadsheet cell only: XLSX stores numbers as IEEE doubles. Each cell is converted from
 * its exact 2-decimal string (never summed in floating point), and every amount within range
 * (< 2^53 fen) displays back exactly with the 0.00 format.
 */
export function toSpreadsheetNumber(value: Decimal.Value): number {
  return new MoneyDecimal(value).toDecimalPlaces(2).toNumber();
}
