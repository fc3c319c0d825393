import Decimal from "decimal.js";

/**
 * Money in the browser is the server's string, never a JS number: shown as it came (with digit
 * grouping), entered as text checked against the contract's pattern, and summed or compared only
 * through decimal.js.
 */
export const MONEY_PATTERN = /^(0|[1-9][0-9]{0,12})(\.[0-9]{1,2})?$/;

export function isMoney(text: string): boolean {
  return MONEY_PATTERN.test(text);
}

/** A money string above zero, as the contract asks wherever an amount is asked for. */
export function isPositiveMoney(text: string): boolean {
  return isMoney(text) && !/^0(\.0{1,2})?$/.test(text);
}

/** Why a typed amount is refused, in Chinese; null when it is a valid positive amount. */
export function moneyProblem(text: string, opts: { allowZero?: boolean } = {}): string | null {
  if (text === "") return "请输入金额";
  if (/\s/.test(text)) return "金额不能包含空格";
  if (/^[+-]/.test(text)) return "金额不能带正负号";
  if (/[eE]/.test(text)) return "金额不能使用科学计数法";
  if (/[,，]/.test(text)) return "金额不要输入千分位逗号";
  if (/\.[0-9]{3,}$/.test(text)) return "金额最多两位小数（分）";
  if (!isMoney(text)) return "金额格式不正确，例如 80000 或 80000.50";
  if (!opts.allowZero && !isPositiveMoney(text)) return "金额必须大于 0";
  return null;
}

/** "10730000.00" → "10,730,000.00"; the digits are the server's, only commas are added. */
export function groupDigits(amount: string): string {
  const m = /^(-?)([0-9]+)(\.[0-9]+)?$/.exec(amount);
  if (!m) return amount;
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${m[3] ?? ""}`;
}

/** Yuan → 万元, half-up to 2 decimals, computed on the string with decimal.js. */
export function toWan(amount: string): string {
  return new Decimal(amount).div(10000).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

export function sumMoney(amounts: string[]): string {
  return amounts.reduce((acc, a) => acc.plus(a), new Decimal(0)).toFixed(2);
}

export function compareMoney(a: string, b: string): number {
  return new Decimal(a).cmp(b);
}

export function isZero(amount: string): boolean {
  return new Decimal(amount).isZero();
}
