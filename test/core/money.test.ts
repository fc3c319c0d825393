import fc from "fast-check";
import { formatMoney, MONEY_MAX, moneyFromDb, moneyToDb, nonNegativeMoney, parseMoney, positiveMoney, sumMoney } from "../../api/core/money";

/**
 * Money on the wire is a string of digits with at most two decimals. These properties compare
 * api/money.ts with a model that never touches a JS number: whole cents as a BigInt.
 */

const digit = fc.constantFrom("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
const nonZeroDigit = fc.constantFrom("1", "2", "3", "4", "5", "6", "7", "8", "9");

/** The integer part as written on the wire: "0", or 1–13 digits without a leading zero. */
const integerPart = fc.oneof(
  fc.constant("0"),
  fc.tuple(nonZeroDigit, fc.array(digit, { maxLength: 12 })).map(([first, rest]) => first + rest.join("")),
);
const decimalPart = fc.oneof(fc.constant(""), digit.map((d) => "." + d), fc.tuple(digit, digit).map(([a, b]) => "." + a + b));

/** Every valid wire amount, with its value in cents. */
const validAmount = fc.tuple(integerPart, decimalPart).map(([int, dec]) => ({
  wire: int + dec,
  cents: BigInt(int) * 100n + BigInt((dec.slice(1) + "00").slice(0, 2)),
}));

function centsToWire(cents: bigint): string {
  const whole = cents / 100n;
  const rest = cents % 100n;
  return `${whole}.${rest.toString().padStart(2, "0")}`;
}

function parsed(input: unknown) {
  const result = parseMoney(input);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to parse: ${result.message}`);
  return result.value;
}

describe("valid amounts", () => {
  test("every valid amount round-trips: format(parse(x)) is x with exactly 2 decimals", () => {
    fc.assert(
      fc.property(validAmount, ({ wire, cents }) => {
        expect(formatMoney(parsed(wire))).toBe(centsToWire(cents));
      }),
      { numRuns: 2000 },
    );
  });

  test("formatting is idempotent: a formatted amount parses back to the same string", () => {
    fc.assert(
      fc.property(validAmount, ({ wire }) => {
        const once = formatMoney(parsed(wire));
        expect(formatMoney(parsed(once))).toBe(once);
        expect(moneyToDb(parsed(once))).toBe(once);
      }),
    );
  });

  test("the documented examples and both ends of the range", () => {
    expect(formatMoney(parsed("80000.00"))).toBe("80000.00");
    expect(formatMoney(parsed("0.5"))).toBe("0.50");
    expect(formatMoney(parsed("0"))).toBe("0.00");
    expect(formatMoney(parsed("0.01"))).toBe("0.01");
    expect(formatMoney(parsed("9999999999999.99"))).toBe("9999999999999.99");
    expect(formatMoney(MONEY_MAX)).toBe("9999999999999.99");
  });

  test("sums are exact (no binary floating point): the sum of amounts equals the sum of their cents", () => {
    fc.assert(
      fc.property(fc.array(validAmount, { maxLength: 50 }), (amounts) => {
        const total = sumMoney(amounts.map((a) => parsed(a.wire)));
        const model = amounts.reduce((acc, a) => acc + a.cents, 0n);
        expect(formatMoney(total)).toBe(centsToWire(model));
      }),
    );
    // The classic: 0.1 + 0.2 is 0.30, not 0.30000000000000004.
    expect(formatMoney(sumMoney([parsed("0.1"), parsed("0.2")]))).toBe("0.30");
  });

  test("totals beyond the per-amount maximum are formatted in full, never in exponent notation", () => {
    const many = Array.from({ length: 1000 }, () => MONEY_MAX);
    expect(formatMoney(sumMoney(many))).toBe("9999999999999990.00");
    expect(formatMoney(sumMoney([MONEY_MAX, parsed("0.01")]))).toBe("10000000000000.00");
    fc.assert(
      fc.property(fc.array(validAmount, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 10000 }), (amounts, times) => {
        const total = sumMoney(amounts.flatMap((a) => Array.from({ length: 3 }, () => parsed(a.wire)))).times(times);
        expect(formatMoney(total)).toMatch(/^\d+\.\d{2}$/);
      }),
      { numRuns: 200 },
    );
  });

  test("formatting a computed value with more than 2 decimals rounds half up", () => {
    expect(formatMoney(parsed("0.01").dividedBy(2))).toBe("0.01"); // 0.005
    expect(formatMoney(parsed("0.01").dividedBy(3))).toBe("0.00"); // 0.00333…
    expect(formatMoney(parsed("10").dividedBy(3))).toBe("3.33");
    expect(formatMoney(parsed("20").dividedBy(3))).toBe("6.67");
  });
});

describe("rejected forms", () => {
  const rejected = (input: unknown) => {
    const result = parseMoney(input);
    return !result.ok && typeof result.message === "string" && result.message.length > 0;
  };

  test("JSON numbers are rejected, whatever their value", () => {
    fc.assert(fc.property(fc.double(), (n) => expect(rejected(n)).toBe(true)));
    fc.assert(fc.property(fc.integer(), (n) => expect(rejected(n)).toBe(true)));
    expect(parseMoney(100)).toEqual({ ok: false, message: expect.stringContaining("not a number") });
  });

  test("null, undefined, booleans, objects and arrays are rejected", () => {
    for (const input of [null, undefined, true, false, {}, [], ["1.00"], { amount: "1.00" }, 10n]) {
      expect(rejected(input)).toBe(true);
    }
    expect(parseMoney(null)).toEqual({ ok: false, message: expect.stringContaining("null") });
  });

  test("the empty string and blanks anywhere are rejected", () => {
    for (const input of ["", " ", "\t", "\n"]) expect(rejected(input)).toBe(true);
    fc.assert(
      fc.property(
        validAmount,
        fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u3000"),
        fc.nat(),
        ({ wire }, blank, at) => {
          const i = at % (wire.length + 1);
          expect(rejected(wire.slice(0, i) + blank + wire.slice(i))).toBe(true);
        },
      ),
    );
  });

  test("a sign is rejected, even on zero", () => {
    fc.assert(fc.property(validAmount, fc.constantFrom("+", "-", "−"), ({ wire }, sign) => expect(rejected(sign + wire)).toBe(true)));
    expect(rejected("-0")).toBe(true);
    expect(rejected("+0.00")).toBe(true);
  });

  test("exponent notation is rejected", () => {
    fc.assert(
      fc.property(validAmount, fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), fc.integer({ min: 0, max: 20 }), ({ wire }, e, sign, exp) =>
        expect(rejected(`${wire}${e}${sign}${exp}`)).toBe(true),
      ),
    );
    for (const input of ["1e5", "1E2", "1.5e1", "1e-2", "Infinity", "NaN", "0x10", "0b1", "0o7"]) expect(rejected(input)).toBe(true);
  });

  test("more than 2 decimals is rejected, even when the extra digits are zeros", () => {
    fc.assert(
      fc.property(integerPart, fc.array(digit, { minLength: 3, maxLength: 10 }), (int, decimals) =>
        expect(rejected(`${int}.${decimals.join("")}`)).toBe(true),
      ),
    );
    expect(rejected("1.000")).toBe(true);
    expect(rejected("0.001")).toBe(true);
  });

  test("grouping separators are rejected", () => {
    for (const input of ["1,000.00", "1,000", "1 000.00", "1'000.00", "1_000", "10,00", "1.000,00"]) expect(rejected(input)).toBe(true);
  });

  test("leading zeros and incomplete decimals are rejected", () => {
    for (const input of ["01", "00", "00.5", "007.00", "0001", ".5", "5.", ".", "1..0", "1.2.3"]) expect(rejected(input)).toBe(true);
    fc.assert(fc.property(validAmount, ({ wire }) => expect(rejected("0" + wire)).toBe(true)));
  });

  test("digits other than ASCII 0-9 are rejected (full-width, Arabic-Indic, Chinese numerals)", () => {
    for (const input of ["１００", "١٠٠", "一百", "100元", "¥100", "CNY 100"]) expect(rejected(input)).toBe(true);
  });

  test("anything above 9,999,999,999,999.99 is rejected", () => {
    expect(rejected("9999999999999.99")).toBe(false);
    expect(rejected("10000000000000")).toBe(true);
    expect(rejected("10000000000000.00")).toBe(true);
    expect(rejected("99999999999999")).toBe(true);
    fc.assert(
      fc.property(
        fc.tuple(nonZeroDigit, fc.array(digit, { minLength: 13, maxLength: 30 })).map(([f, r]) => f + r.join("")),
        decimalPart,
        (int, dec) => expect(rejected(int + dec)).toBe(true),
      ),
    );
  });

  test("every string that is not a valid amount is rejected, and every accepted one is within range", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const result = parseMoney(s);
        if (result.ok) {
          expect(s).toMatch(/^(0|[1-9][0-9]{0,12})(\.[0-9]{1,2})?$/);
          expect(result.value.lte(MONEY_MAX)).toBe(true);
          expect(result.value.gte(0)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("zod fields and the database boundary", () => {
  test("an amount that must be positive refuses zero; one that may be zero accepts it", () => {
    expect(positiveMoney.safeParse("0").success).toBe(false);
    expect(positiveMoney.safeParse("0.00").success).toBe(false);
    expect(positiveMoney.safeParse(1).success).toBe(false);
    expect(formatMoney(positiveMoney.parse("0.01"))).toBe("0.01");
    expect(formatMoney(nonNegativeMoney.parse("0"))).toBe("0.00");
    expect(nonNegativeMoney.safeParse("-1").success).toBe(false);
    const refused = positiveMoney.safeParse("0");
    expect(refused.success ? [] : refused.error.issues.map((i) => i.message)).toEqual(["amount must be greater than 0"]);
  });

  test("NUMERIC from the database must be a string: a JS number is a programming error", () => {
    expect(formatMoney(moneyFromDb("9999999999999.99"))).toBe("9999999999999.99");
    expect(formatMoney(moneyFromDb(null))).toBe("0.00");
    expect(() => moneyFromDb(12.5 as unknown as string)).toThrow(TypeError);
  });
});
