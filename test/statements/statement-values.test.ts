import { parseStatementAmount, parseStatementDate, parseStatementTime } from "../../api/statements/statement-values";

const grouped = { thousandsSeparators: true };

function amount(text: string, options = grouped) {
  const r = parseStatementAmount(text, options);
  if (!r.ok) throw new Error(`expected "${text}" to parse: ${r.message}`);
  return r.value === null ? null : `${r.value.sign}${r.value.value.toFixed(2)}`;
}

function refused(text: string, options = grouped): string {
  const r = parseStatementAmount(text, options);
  if (r.ok) throw new Error(`expected "${text}" to be refused`);
  return r.message;
}

describe("amounts as banks write them", () => {
  test.each([
    ["1234.56", "1234.56"],
    ["1,234.56", "1234.56"],
    ["1,234,567.5", "1234567.50"],
    ["+10000.00", "+10000.00"],
    ["-10.00", "-10.00"],
    ["191", "191.00"],
    ["  13.40               \t", "13.40"],
    ["1234.560", "1234.56"],
    ['="88.00"', "88.00"],
  ])("%j reads as %s", (text, expected) => {
    expect(amount(text)).toBe(expected);
  });

  test.each(["", "-", "--", "   \t"])("%j is an empty cell", (text) => {
    expect(amount(text)).toBeNull();
  });

  test("full-width digits or commas are refused, not normalised: a bank never writes them", () => {
    expect(refused("１２３４.５６")).toMatch(/full-width/);
    expect(refused("1，234.56")).toMatch(/full-width/);
    expect(refused("1234．56")).toMatch(/full-width/);
  });

  test.each(["12,34.56", "1,2345.00", "abc", "1.2.3", "1e5", "¥100.00", "100元", "0x10", "1 234.56", ". 5"])("%j is not an amount", (text) => {
    expect(refused(text)).toMatch(/not an amount/);
  });

  test("fractions of a fen are refused (a computed spreadsheet cell such as 0.30000000000000004)", () => {
    expect(refused("0.30000000000000004")).toMatch(/fractions of a fen/);
    expect(refused("1.005")).toMatch(/fractions of a fen/);
  });

  test("without thousands separators in the layout, a grouped amount is refused and says why", () => {
    expect(refused("1,234.56", { thousandsSeparators: false })).toMatch(/no thousands separators/);
  });

  test("an amount larger than any we keep is refused", () => {
    expect(refused("99999999999999.00")).toMatch(/larger/);
  });
});

describe("dates as banks write them", () => {
  const all = ["YYYY-MM-DD", "YYYY/M/D", "YYYYMMDD", "YYYY年M月D日"] as const;
  test.each([
    ["2024-03-11", "2024-03-11", undefined],
    ["2024/3/11", "2024-03-11", undefined],
    ["20240311", "2024-03-11", undefined],
    ["2024年3月11日", "2024-03-11", undefined],
    ["2024-03-11 14:05:09", "2024-03-11", "14:05:09"],
    ["20260105 18:22:21", "2026-01-05", "18:22:21"],
    ["2024/3/11 9:05", "2024-03-11", "09:05:00"],
    ["2023-05-02     \t", "2023-05-02", undefined],
    ["2024-03-11T08:00:00.123", "2024-03-11", "08:00:00"],
  ])("%j is %s %s", (text, date, time) => {
    expect(parseStatementDate(text, all)).toEqual({ ok: true, value: time ? { date, time } : { date } });
  });

  test.each(["2024-02-30", "20241301", "2024-03-11 25:00", "11/03/2024", "2024-03", "昨天", "45362"])("%j is refused", (text) => {
    expect(parseStatementDate(text, all).ok).toBe(false);
  });

  test("a layout accepts only its formats", () => {
    expect(parseStatementDate("2024/3/11", ["YYYYMMDD"]).ok).toBe(false);
  });

  test("a time column of its own: 140509 (ABC) or 14:05:09", () => {
    expect(parseStatementTime("140509")).toEqual({ ok: true, value: "14:05:09" });
    expect(parseStatementTime("9:05")).toEqual({ ok: true, value: "09:05:00" });
    expect(parseStatementTime("")).toEqual({ ok: true, value: null });
    expect(parseStatementTime("256000").ok).toBe(false);
  });
});
