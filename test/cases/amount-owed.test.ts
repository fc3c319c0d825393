import Decimal from "decimal.js";
import fc from "fast-check";
import {
  type AmountOwedInput,
  type Payment,
  DOUBLED_INTEREST_PER_DAY,
  computeAmountOwed,
  executionFeeFor,
} from "../../api/cases/amount-owed";
import { fullyPerformedOnOf } from "../../api/ledger/performance";
import { addDays, daysBetween } from "../../api/core/dates";
import { type Money, MoneyDecimal, ZERO } from "../../api/core/money";

const m = (value: string): Money => new MoneyDecimal(value);
const pay = (on: string, amount: string): Payment => ({ on, amount: m(amount) });
const fixed = (value: Money) => value.toFixed(2);

function owed(input: Partial<AmountOwedInput> & Pick<AmountOwedInput, "principal" | "asOf">) {
  return computeAmountOwed({ performBy: null, chargeExecutionFee: false, payments: [], ...input });
}

describe("the execution fee, 诉讼费用交纳办法 art. 14 (一)", () => {
  test.each([
    // [amount, fee, why]
    ["0.01", "50.00", "不超过1万元的，每件交纳50元"],
    ["10000.00", "50.00", "exactly 10,000 is still the flat 50"],
    ["10000.01", "50.00", "50.00015: the 1.5% tier starts above 10,000"],
    ["10003.00", "50.05", "50.045 rounds half-up to the fen, not to even"],
    ["100000.00", "1400.00", "50 + 90,000 × 1.5%"],
    ["500000.00", "7400.00", "50 + 490,000 × 1.5%"],
    ["1000000.00", "12400.00", "7,400 + 500,000 × 1%"],
    ["5000000.00", "52400.00", "7,400 + 4,500,000 × 1%"],
    ["10000000.00", "77400.00", "52,400 + 5,000,000 × 0.5%"],
    ["12345678.91", "79745.68", "77,400 + 2,345,678.91 × 0.1% = 79,745.67891"],
  ])("on %s yuan the fee is %s (%s)", (amount, fee) => {
    expect(fixed(executionFeeFor(m(amount)))).toBe(fee);
  });

  /*
   * The quick formula courts publish beside the tiers (乐陵市人民法院 and 龙口市人民法院, "执行申请费
   * 速算法"): 1万–50万 ×1.5% − 100; 50万–500万 ×1% + 2400; 500万–1000万 ×0.5% + 27400; above ×0.1% + 67400.
   */
  function quickFormula(amount: Money): Money {
    const tiers: [string, string, string][] = [
      ["10000", "0", "50"],
      ["500000", "0.015", "-100"],
      ["5000000", "0.01", "2400"],
      ["10000000", "0.005", "27400"],
    ];
    const tier = tiers.find(([upTo]) => amount.lte(upTo));
    const [, rate, add] = tier ?? ["", "0.001", "67400"];
    const fee = rate === "0" ? m(add) : amount.times(rate).plus(add);
    return fee.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  }

  test("for any amount the tiers give what the courts' quick formula gives", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9][0-9]{0,9}\.[0-9]{2}$/), (amount) => {
        expect(fixed(executionFeeFor(m(amount)))).toBe(fixed(quickFormula(m(amount))));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("doubled interest for delayed performance (民诉法 art. 264; 法释〔2014〕8号)", () => {
  test("art. 1–2: unpaid principal × 1.75‱ per day, from the day AFTER performBy: 100,000 due 10 March, on 20 March 10 days = 175.00", () => {
    const result = owed({ principal: m("100000.00"), performBy: "2025-03-10", asOf: "2025-03-20" });
    expect(fixed(DOUBLED_INTEREST_PER_DAY.times(10000))).toBe("1.75");
    expect(result.days).toBe(10);
    expect(fixed(result.delayInterest)).toBe("175.00");
    expect(result.basis.map((l) => [l.from, l.to, l.days, fixed(l.principalBase), fixed(l.interest)])).toEqual([
      ["2025-03-11", "2025-03-20", 10, "100000.00", "175.00"],
    ]);
    expect(fixed(result.total)).toBe("100175.00");
    expect(fixed(result.outstanding)).toBe("100175.00");
  });

  test("art. 2: nothing runs on performBy itself, nor before it", () => {
    expect(owed({ principal: m("100000.00"), performBy: "2025-03-10", asOf: "2025-03-10" }).days).toBe(0);
    expect(owed({ principal: m("100000.00"), performBy: "2025-03-10", asOf: "2025-02-01" }).delayInterest.isZero()).toBe(true);
  });

  test("art. 3: the payment day itself IS counted for the part paid that day — paid in full the day after performBy, 1 day of interest is owed", () => {
    const result = owed({
      principal: m("100000.00"),
      performBy: "2025-03-10",
      payments: [pay("2025-03-11", "100000.00")],
      asOf: "2025-06-30",
    });
    expect(result.basis.map((l) => [l.from, l.to, l.days])).toEqual([["2025-03-11", "2025-03-11", 1]]);
    expect(fixed(result.delayInterest)).toBe("17.50");
    expect(fixed(result.outstanding)).toBe("17.50");
    expect(result.fullyPerformedOn).toBeNull();
  });

  test("art. 3–4: part payments shrink the base; 50,000 due 31 January 2024, 20,000 paid 1 March (30 days, a leap February), then 30,000 for 30 more days", () => {
    const result = owed({
      principal: m("50000.00"),
      performBy: "2024-01-31",
      payments: [pay("2024-03-01", "20000.00")],
      asOf: "2024-03-31",
    });
    expect(result.basis.map((l) => [l.from, l.to, l.days, fixed(l.principalBase), fixed(l.interest)])).toEqual([
      ["2024-02-01", "2024-03-01", 30, "50000.00", "262.50"],
      ["2024-03-02", "2024-03-31", 30, "30000.00", "157.50"],
    ]);
    expect(fixed(result.delayInterest)).toBe("420.00");
    expect(fixed(result.principalOutstanding)).toBe("30000.00");
    expect(result.days).toBe(60);
  });

  test("art. 4: money pays the principal before the interest, so interest stops once the principal is paid and never compounds", () => {
    const result = owed({
      principal: m("10000.00"),
      performBy: "2025-01-31",
      payments: [pay("2025-03-02", "10000.00"), pay("2025-12-31", "52.50")],
      asOf: "2026-06-30",
    });
    // 1 February – 2 March 2025 is 30 days: 10,000 × 0.000175 × 30 = 52.50.
    expect(fixed(result.delayInterest)).toBe("52.50");
    expect(result.fullyPerformedOn).toBe("2025-12-31");
    expect(fixed(result.outstanding)).toBe("0.00");
    expect(result.paidTo).toEqual({ executionFee: ZERO, principal: m("10000.00"), delayInterest: m("52.50") });
  });

  test("each basis line is rounded half-up to the fen and delayInterest is their sum: 0.01 × 1.75‱ × 3 days is 0.00, 1,234.56 for 7 days is 1.51", () => {
    const tiny = owed({ principal: m("0.01"), performBy: "2025-01-01", asOf: "2025-01-04" });
    expect([tiny.days, fixed(tiny.delayInterest)]).toEqual([3, "0.00"]);
    // 1,234.56 × 0.000175 × 7 = 1.512336
    const line = owed({ principal: m("1234.56"), performBy: "2025-01-01", asOf: "2025-01-08" });
    expect(fixed(line.delayInterest)).toBe("1.51");
  });

  test("without performBy no interest runs, however late the money comes", () => {
    const result = owed({ principal: m("80000.00"), payments: [pay("2030-01-01", "80000.00")], asOf: "2030-01-01" });
    expect([result.days, result.basis, fixed(result.delayInterest)]).toEqual([0, [], "0.00"]);
    expect(result.fullyPerformedOn).toBe("2030-01-01");
  });
});

describe("the charged execution fee is paid first (民诉法解释 art. 508), then principal, then interest", () => {
  test("a payment of exactly the fee leaves the principal and its interest line untouched", () => {
    const result = owed({
      principal: m("100000.00"),
      performBy: "2025-01-10",
      chargeExecutionFee: true,
      payments: [pay("2025-01-20", "1400.00")],
      asOf: "2025-01-30",
    });
    expect(fixed(result.executionFee)).toBe("1400.00");
    expect(result.paidTo.executionFee).toEqual(m("1400.00"));
    expect(fixed(result.principalOutstanding)).toBe("100000.00");
    // One unbroken line 11–30 January on 100,000: 20 days = 350.00.
    expect(result.basis.map((l) => [l.from, l.to, fixed(l.interest)])).toEqual([["2025-01-11", "2025-01-30", "350.00"]]);
    expect(fixed(result.total)).toBe("101750.00");
  });

  test("when the court does not charge the fee it is shown but not owed, and the same money goes to the principal", () => {
    const result = owed({ principal: m("100000.00"), payments: [pay("2025-01-20", "1400.00")], asOf: "2025-01-30" });
    expect([result.executionFeeCharged, fixed(result.executionFee)]).toEqual([false, "1400.00"]);
    expect(fixed(result.principalOutstanding)).toBe("98600.00");
    expect(fixed(result.total)).toBe("100000.00");
  });

  test("fully performed on the day the receipts reach fee + principal + interest as of that day; the rest is surplus", () => {
    const result = owed({
      principal: m("10000.00"),
      performBy: "2025-01-31",
      chargeExecutionFee: true,
      payments: [pay("2025-02-10", "5000.00"), pay("2025-02-20", "5000.00"), pay("2025-02-20", "200.00")],
      asOf: "2025-03-31",
    });
    // Fee 50; 10 days on 10,000 (1–10 Feb) = 17.50; 10 days on 5,050 (11–20 Feb) = 8.8375 → 8.84.
    expect(result.basis.map((l) => [l.from, l.to, fixed(l.principalBase), fixed(l.interest)])).toEqual([
      ["2025-02-01", "2025-02-10", "10000.00", "17.50"],
      ["2025-02-11", "2025-02-20", "5050.00", "8.84"],
    ]);
    expect(fixed(result.total)).toBe("10076.34");
    expect(result.fullyPerformedOn).toBe("2025-02-20");
    expect(fixed(result.surplus)).toBe("123.66");
    expect(fixed(result.outstanding)).toBe("0.00");
  });

  test("v1 behaviour is kept: no performBy and no charged fee, fully performed when receipts reach the principal", () => {
    const result = owed({
      principal: m("80000.00"),
      payments: [pay("2024-03-11", "30000.00"), pay("2024-04-01", "50000.00")],
      asOf: "2024-12-31",
    });
    expect(result.fullyPerformedOn).toBe("2024-04-01");
  });

  test("receipts after asOf are not counted", () => {
    const result = owed({ principal: m("100.00"), payments: [pay("2025-01-01", "60.00"), pay("2025-02-01", "40.00")], asOf: "2025-01-31" });
    expect([fixed(result.paid), result.fullyPerformedOn]).toEqual(["60.00", null]);
  });
});

describe("bad input is refused, never guessed", () => {
  test.each([
    ["a zero principal", { principal: m("0") }],
    ["a principal with 3 decimals", { principal: m("1.005") }],
    ["payments out of date order", { payments: [pay("2025-02-01", "1.00"), pay("2025-01-01", "1.00")] }],
    ["a zero payment", { payments: [pay("2025-02-01", "0.00")] }],
    ["a negative payment", { payments: [pay("2025-02-01", "-1.00")] }],
    ["an impossible date", { performBy: "2025-02-30" }],
  ] as [string, Partial<AmountOwedInput>][])("%s", (_, bad) => {
    expect(() => owed({ principal: m("100.00"), asOf: "2025-12-31", ...bad })).toThrow(RangeError);
  });
});

/*
 * An independent model, deliberately naive: walk every calendar day, write down the day's principal
 * base before that day's receipts (art. 3: the payment day counts), apply each receipt fee →
 * principal → interest, and group equal consecutive bases into runs only to round them.
 */
interface NaiveRun {
  from: string;
  to: string;
  base: Money;
}
function runsOf(daily: { day: string; base: Money }[]): NaiveRun[] {
  const runs: NaiveRun[] = [];
  for (const { day, base } of daily) {
    const last = runs.at(-1);
    if (last && last.base.eq(base) && addDays(last.to, 1) === day) last.to = day;
    else runs.push({ from: day, to: day, base });
  }
  return runs;
}
const runInterest = (run: NaiveRun) =>
  run.base.times("0.000175").times(daysBetween(run.from, run.to) + 1).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const roundedInterest = (runs: NaiveRun[]) => runs.reduce((sum, run) => sum.plus(runInterest(run)), ZERO);

function naive(input: AmountOwedInput, through: string) {
  let fee = input.chargeExecutionFee ? executionFeeFor(input.principal) : ZERO;
  let principal = input.principal;
  let interestPaid = ZERO;
  let surplus = ZERO;
  const portions: { on: string; amount: Money }[] = [];
  const daily: { day: string; base: Money }[] = [];
  const first = [input.payments[0]?.on, input.performBy === null ? undefined : addDays(input.performBy, 1), through]
    .filter((d): d is string => d !== undefined)
    .sort()[0];
  for (let day = first; day <= through; day = addDays(day, 1)) {
    if (input.performBy !== null && day > input.performBy && principal.gt(0)) daily.push({ day, base: principal });
    for (const payment of input.payments.filter((p) => p.on === day)) {
      let left = payment.amount;
      const toFee = Decimal.min(fee, left);
      fee = fee.minus(toFee);
      left = left.minus(toFee);
      const toPrincipal = Decimal.min(principal, left);
      principal = principal.minus(toPrincipal);
      left = left.minus(toPrincipal);
      portions.push({ on: day, amount: toPrincipal });
      if (principal.isZero()) {
        const toInterest = Decimal.min(roundedInterest(runsOf(daily)).minus(interestPaid), left);
        interestPaid = interestPaid.plus(toInterest);
        left = left.minus(toInterest);
      }
      surplus = surplus.plus(left);
    }
  }
  const runs = runsOf(daily);
  const interest = roundedInterest(runs);
  return { fee, principal, interest, runs, portions, outstanding: fee.plus(principal).plus(interest).minus(interestPaid), surplus };
}

/** art. 3 read literally, without rounding: each part paid runs to its own payment day, the rest to asOf. */
function exactArt3Interest(input: AmountOwedInput, portions: { on: string; amount: Money }[], unpaid: Money): Money {
  if (input.performBy === null) return ZERO;
  const performBy = input.performBy;
  const daysTo = (day: string) => Math.max(0, daysBetween(performBy, day));
  const paidParts = portions.reduce((sum, p) => sum.plus(p.amount.times(daysTo(p.on))), ZERO);
  return paidParts.plus(unpaid.times(daysTo(input.asOf))).times("0.000175");
}

/** "The first payment date on which cumulative payments reach the total owed as of that day." */
function naiveFullyPerformedOn(input: AmountOwedInput): string | null {
  const days = [...new Set(input.payments.filter((p) => p.on <= input.asOf).map((p) => p.on))];
  for (const day of days) {
    const received = input.payments.filter((p) => p.on <= day).reduce((sum, p) => sum.plus(p.amount), ZERO);
    const fee = input.chargeExecutionFee ? executionFeeFor(input.principal) : ZERO;
    if (received.gte(input.principal.plus(fee).plus(naive(input, day).interest))) return day;
  }
  return null;
}

const BASE_DAY = "2024-01-01";
const money = fc.stringMatching(/^[1-9][0-9]{0,6}\.[0-9]{2}$/).map(m);
const anyInput: fc.Arbitrary<AmountOwedInput> = fc
  .record({
    principal: money,
    performBy: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
    chargeExecutionFee: fc.boolean(),
    asOf: fc.integer({ min: 0, max: 1000 }),
    payments: fc.array(
      fc.record({
        on: fc.integer({ min: 0, max: 900 }),
        // Sizes near the principal (eighths of it) as well as any small amount, so that full
        // performance, fee-only payments and surpluses all occur.
        share: fc.oneof(fc.integer({ min: 1, max: 10 }).map((k) => ({ eighths: k })), money.map((amount) => ({ amount }))),
      }),
      { maxLength: 8 },
    ),
  })
  .map((r) => ({
    principal: r.principal,
    performBy: r.performBy === null ? null : addDays(BASE_DAY, r.performBy),
    chargeExecutionFee: r.chargeExecutionFee,
    asOf: addDays(BASE_DAY, r.asOf),
    payments: r.payments
      .map((p) => ({
        on: addDays(BASE_DAY, p.on),
        amount:
          "amount" in p.share
            ? p.share.amount
            : Decimal.max(m("0.01"), r.principal.times(p.share.eighths).div(8).toDecimalPlaces(2, Decimal.ROUND_DOWN)),
      }))
      .sort((a, b) => a.on.localeCompare(b.on)),
  }));

describe("properties against the naive day-by-day model", () => {
  test("principal, interest, every basis line, the outstanding amount and the surplus agree with the model", () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = computeAmountOwed(input);
        const model = naive(input, input.asOf);
        expect(result.basis.map((l) => [l.from, l.to, l.days, fixed(l.principalBase), fixed(l.interest)])).toEqual(
          model.runs.map((r) => [r.from, r.to, daysBetween(r.from, r.to) + 1, fixed(r.base), fixed(runInterest(r))]),
        );
        expect(fixed(result.delayInterest)).toBe(fixed(model.interest));
        expect(fixed(result.principalOutstanding)).toBe(fixed(model.principal));
        expect(fixed(result.outstanding)).toBe(fixed(model.outstanding));
        expect(fixed(result.surplus)).toBe(fixed(model.surplus));
      }),
      { numRuns: 300 },
    );
  });

  test("fullyPerformedOn is the first receipt day whose cumulative receipts reach the total owed as of that day", () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        expect(computeAmountOwed(input).fullyPerformedOn).toBe(naiveFullyPerformedOn(input));
      }),
      { numRuns: 200 },
    );
  });

  test("rounding per line stays within half a fen per line of art. 3's exact, per-payment figure", () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = computeAmountOwed(input);
        const model = naive(input, input.asOf);
        const exact = exactArt3Interest(input, model.portions, result.principalOutstanding);
        expect(result.delayInterest.minus(exact).abs().lte(m("0.005").times(result.basis.length))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test("the books balance: applied + outstanding = total, applied + surplus = paid, and the lines tile the days after performBy", () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const r = computeAmountOwed(input);
        const applied = r.paidTo.executionFee.plus(r.paidTo.principal).plus(r.paidTo.delayInterest);
        expect(applied.plus(r.outstanding).eq(r.total)).toBe(true);
        expect(applied.plus(r.surplus).eq(r.paid)).toBe(true);
        expect(r.outstanding.isZero() || r.surplus.isZero()).toBe(true);
        expect(r.total.eq(r.principal.plus(r.delayInterest).plus(r.executionFeeCharged ? r.executionFee : ZERO))).toBe(true);
        expect(r.days).toBe(r.basis.reduce((sum, l) => sum + l.days, 0));
        r.basis.forEach((line, i) => {
          expect(line.from > (input.performBy as string) && line.to <= input.asOf).toBe(true);
          if (i > 0) expect([addDays(r.basis[i - 1].to, 1), r.basis[i - 1].principalBase.gt(line.principalBase)]).toEqual([line.from, true]);
        });
      }),
      { numRuns: 300 },
    );
  });

  test("waiting never lowers what is owed: the interest as of a later day is at least the interest as of an earlier one", () => {
    fc.assert(
      fc.property(anyInput, fc.integer({ min: 1, max: 200 }), (input, later) => {
        const now = computeAmountOwed(input);
        const then = computeAmountOwed({ ...input, asOf: addDays(input.asOf, later) });
        expect(then.delayInterest.gte(now.delayInterest)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe("the fully-performed derivation (api/ledger/performance.ts) against the naive model", () => {
  test("the day the ledger shows full performance is the naive model's first day receipts reach the total owed that day; a recorded performance wins when earlier", () => {
    fc.assert(
      fc.property(anyInput, fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }), (input, recordedDay) => {
        const facts = {
          caseId: "c",
          courtId: "k",
          principal: input.principal,
          performBy: input.performBy,
          chargeExecutionFee: input.chargeExecutionFee,
          payments: [...input.payments],
          recorded: recordedDay === null ? null : { performedOn: addDays(BASE_DAY, recordedDay), waivedDelayInterest: true, note: "n", createdBy: "u", createdAt: new Date(0) },
        };
        const lastPayment = input.payments[input.payments.length - 1]?.on;
        const byLedger = lastPayment === undefined ? null : naiveFullyPerformedOn({ ...input, asOf: lastPayment });
        const recorded = facts.recorded?.performedOn ?? null;
        const expected = [byLedger, recorded].filter((d): d is string => d !== null).sort()[0] ?? null;
        expect(fullyPerformedOnOf(facts)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});
