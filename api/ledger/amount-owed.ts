import assert from "node:assert/strict";
import Decimal from "decimal.js";
import { addDays, daysBetween, isValidDate } from "../core/dates";
import { type Money, MoneyDecimal, ZERO } from "../core/money";

/**
 * What a debtor owes on a money judgment, as of a day: the adjudicated principal, the doubled part
 * of the interest for delayed performance, and the execution fee where the court charges it. Pure:
 * the caller brings the case's figures and its receipts. Sources and choices:
 * docs/rules/amount-owed.md.
 *
 * - 民事诉讼法 art. 264 (2023 text; art. 253 in 2012/2017, art. 260 in 2021): a debtor who does not pay by
 *   the date the judgment sets "应当加倍支付迟延履行期间的债务利息".
 * - 法释〔2014〕8号 art. 1: "加倍部分债务利息＝债务人尚未清偿的生效法律文书确定的除一般债务利息之外的
 *   金钱债务×日万分之一点七五×迟延履行期间". The judgment's ordinary interest is not modelled here:
 *   `principal` is the money debt the judgment fixes, without it.
 * - art. 2: counted "自生效法律文书确定的履行期间届满之日起"; a period counted in days does not count
 *   the day it starts from (民法典 art. 201 ¶1: "开始的当日不计入，自下一日开始计算"), so the first day
 *   of interest is the day AFTER `performBy`.
 * - art. 3: "被执行人分次履行的，相应部分的加倍部分债务利息计算至每次履行完毕之日" — the payment day
 *   itself IS counted for the part paid that day.
 * - art. 4: "被执行人的财产不足以清偿全部债务的，应当先清偿生效法律文书确定的金钱债务，再清偿加倍部分债务
 *   利息" — money pays the principal before the doubled interest, so the interest base shrinks with
 *   every payment and the interest never compounds.
 * - 民诉法解释 (法释〔2022〕11号) art. 508, art. 510 in the 2015 text: "执行所得价款扣除执行费用…后" —
 *   the execution fee comes off the money first (PRODUCT.md, "Details the issues rely on").
 *
 * Rounding: only where money must be a whole fen. The fee is rounded half-up to the fen once. The
 * interest is rounded half-up to the fen per basis line (a run of days with one principal base), and
 * `delayInterest` is the sum of the rounded lines, so an officer can check every line with a
 * calculator and the lines add up to the total shown.
 */
export const DOUBLED_INTEREST_PER_DAY = new MoneyDecimal("0.000175");

export interface Payment {
  on: string;
  amount: Money;
}

export interface AmountOwedInput {
  /** The money debt the judgment fixes (the case's adjudicated amount), without ordinary interest. */
  principal: Money;
  /** The last day of the performance period (履行期间届满之日); null: no doubled interest. */
  performBy: string | null;
  /** Whether the court collects the execution fee from the debtor through this account. */
  chargeExecutionFee: boolean;
  /** The case's receipts, oldest first. Those after `asOf` are ignored. */
  payments: readonly Payment[];
  asOf: string;
}

/** One line of the interest workings: every day from `from` to `to` (both counted) on one base. */
export interface InterestBasisLine {
  from: string;
  to: string;
  days: number;
  principalBase: Money;
  interest: Money;
}

export interface AmountOwed {
  principal: Money;
  /** Everything received up to `asOf`. */
  paid: Money;
  principalOutstanding: Money;
  delayInterest: Money;
  /** The fee by 诉讼费用交纳办法 art. 14 (一), shown whether or not it is charged. */
  executionFee: Money;
  executionFeeCharged: boolean;
  /** principal + delayInterest + the fee where charged. */
  total: Money;
  outstanding: Money;
  /** Money received beyond `total` (a refund candidate); zero otherwise. */
  surplus: Money;
  /** How `paid` was applied, in the order the law applies it. */
  paidTo: { executionFee: Money; principal: Money; delayInterest: Money };
  /** Days on which doubled interest ran. */
  days: number;
  basis: InterestBasisLine[];
  /** The first payment day on which everything owed as of that day was received; null if never. */
  fullyPerformedOn: string | null;
}

/**
 * 诉讼费用交纳办法 art. 14 (一) 2: "执行金额或者价额不超过1万元的，每件交纳50元；超过1万元至50万元的部分，
 * 按照1.5%交纳；超过50万元至500万元的部分，按照1%交纳；超过500万元至1000万元的部分，按照0.5%交纳；超过1000万元
 * 的部分，按照0.1%交纳。" (The 50–500 yuan of art. 14 (一) 1 is for a case without an amount: not here.)
 */
const FEE_BASE = new MoneyDecimal(50);
const FEE_TIERS: readonly { above: Money; upTo: Money | null; rate: Money }[] = [
  { above: new MoneyDecimal("10000"), upTo: new MoneyDecimal("500000"), rate: new MoneyDecimal("0.015") },
  { above: new MoneyDecimal("500000"), upTo: new MoneyDecimal("5000000"), rate: new MoneyDecimal("0.01") },
  { above: new MoneyDecimal("5000000"), upTo: new MoneyDecimal("10000000"), rate: new MoneyDecimal("0.005") },
  { above: new MoneyDecimal("10000000"), upTo: null, rate: new MoneyDecimal("0.001") },
];

export function executionFeeFor(amount: Money): Money {
  assertMoney(amount, "the execution amount");
  let fee = FEE_BASE;
  for (const tier of FEE_TIERS) {
    const top = tier.upTo === null ? amount : Decimal.min(amount, tier.upTo);
    if (top.gt(tier.above)) fee = fee.plus(top.minus(tier.above).times(tier.rate));
  }
  return fee.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

function assertMoney(value: Money, what: string): void {
  if (!value.isFinite() || value.isNeg() || value.decimalPlaces() > 2) {
    throw new RangeError(`${what} must be a non-negative amount with at most 2 decimals, not ${value.toString()}`);
  }
}

function assertDate(value: string, what: string): void {
  if (!isValidDate(value)) throw new RangeError(`${what} must be a date YYYY-MM-DD, not ${value}`);
}

function validate(input: AmountOwedInput): void {
  assertMoney(input.principal, "the principal");
  if (input.principal.isZero()) throw new RangeError("the principal must be greater than 0");
  assertDate(input.asOf, "asOf");
  if (input.performBy !== null) assertDate(input.performBy, "performBy");
  input.payments.forEach((p, i) => {
    assertDate(p.on, `payment ${i + 1}'s date`);
    assertMoney(p.amount, `payment ${i + 1}`);
    if (p.amount.isZero()) throw new RangeError(`payment ${i + 1} must be greater than 0`);
    if (i > 0 && p.on < input.payments[i - 1].on) throw new RangeError("payments must be in date order");
  });
}

/** The running account: what is still owed, and the interest lines written so far. */
interface Ledger {
  fee: Money;
  principal: Money;
  paidTo: AmountOwed["paidTo"];
  /** Lines whose base has changed since: final. */
  closed: InterestBasisLine[];
  /** The line still running, always on the current principal; null while no interest runs. */
  open: { from: string } | null;
  /** The last day whose interest is counted (in `closed` or `open`). */
  accruedThrough: string;
}

function basisLine(from: string, to: string, base: Money): InterestBasisLine {
  const days = daysBetween(from, to) + 1;
  const interest = base.times(DOUBLED_INTEREST_PER_DAY).times(days).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return { from, to, days, principalBase: base, interest };
}

/** Every line, the running one closed provisionally at `accruedThrough`. */
function lines(ledger: Ledger): InterestBasisLine[] {
  if (ledger.open === null) return ledger.closed;
  return [...ledger.closed, basisLine(ledger.open.from, ledger.accruedThrough, ledger.principal)];
}

const sumInterest = (basis: readonly InterestBasisLine[]) => basis.reduce((sum, line) => sum.plus(line.interest), ZERO);

function interestOwed(ledger: Ledger): Money {
  return sumInterest(lines(ledger)).minus(ledger.paidTo.delayInterest);
}

/**
 * Let interest run on the principal still owed for every day after `accruedThrough` up to and
 * including `through`. Called before a day's payments are applied, so the payment day runs on the
 * old base (art. 3).
 */
function accrue(ledger: Ledger, through: string): void {
  if (through <= ledger.accruedThrough) return;
  if (ledger.principal.gt(0) && ledger.open === null) ledger.open = { from: addDays(ledger.accruedThrough, 1) };
  ledger.accruedThrough = through;
}

/** The base changes after today: today's line is final. */
function closeLine(ledger: Ledger, base: Money): void {
  if (ledger.open === null) return;
  ledger.closed.push(basisLine(ledger.open.from, ledger.accruedThrough, base));
  ledger.open = null;
}

/** Fee first (民诉法解释 art. 508), then principal, then doubled interest (2014 art. 4). */
function apply(ledger: Ledger, amount: Money): void {
  let left = amount;
  const take = (owed: Money): Money => {
    const part = Decimal.min(owed, left);
    left = left.minus(part);
    return part;
  };
  const fee = take(ledger.fee);
  const principal = take(ledger.principal);
  if (principal.gt(0)) closeLine(ledger, ledger.principal);
  ledger.fee = ledger.fee.minus(fee);
  ledger.principal = ledger.principal.minus(principal);
  // Interest is paid only once the principal is: by then every line is closed and final.
  const interest = take(ledger.principal.isZero() ? interestOwed(ledger) : ZERO);
  ledger.paidTo = {
    executionFee: ledger.paidTo.executionFee.plus(fee),
    principal: ledger.paidTo.principal.plus(principal),
    delayInterest: ledger.paidTo.delayInterest.plus(interest),
  };
}

const settled = (ledger: Ledger) => ledger.fee.isZero() && ledger.principal.isZero() && interestOwed(ledger).isZero();

export function computeAmountOwed(input: AmountOwedInput): AmountOwed {
  validate(input);
  const executionFee = executionFeeFor(input.principal);
  const interestRuns = input.performBy !== null;
  const ledger: Ledger = {
    fee: input.chargeExecutionFee ? executionFee : ZERO,
    principal: input.principal,
    paidTo: { executionFee: ZERO, principal: ZERO, delayInterest: ZERO },
    closed: [],
    open: null,
    accruedThrough: input.performBy ?? input.asOf,
  };
  const payments = input.payments.filter((p) => p.on <= input.asOf);
  let fullyPerformedOn: string | null = null;
  payments.forEach((payment, i) => {
    if (interestRuns) accrue(ledger, payment.on);
    apply(ledger, payment.amount);
    const lastOfDay = payments[i + 1]?.on !== payment.on;
    if (lastOfDay && fullyPerformedOn === null && settled(ledger)) fullyPerformedOn = payment.on;
  });
  if (interestRuns) accrue(ledger, input.asOf);
  return summarise(input, executionFee, ledger, fullyPerformedOn);
}

function summarise(input: AmountOwedInput, executionFee: Money, ledger: Ledger, fullyPerformedOn: string | null): AmountOwed {
  const basis = lines(ledger);
  const delayInterest = sumInterest(basis);
  const paid = input.payments.filter((p) => p.on <= input.asOf).reduce((sum, p) => sum.plus(p.amount), ZERO);
  const total = input.principal.plus(delayInterest).plus(input.chargeExecutionFee ? executionFee : ZERO);
  const outstanding = ledger.fee.plus(ledger.principal).plus(interestOwed(ledger));
  const { paidTo } = ledger;
  const applied = paidTo.executionFee.plus(paidTo.principal).plus(paidTo.delayInterest);
  assert.ok(applied.plus(outstanding).eq(total), "what was applied and what is outstanding must make up the total");
  assert.ok(applied.lte(paid) && outstanding.gte(0), "no more can be applied than was paid, nor more than was owed");
  assert.ok(outstanding.isZero() || applied.eq(paid), "money is left over only when nothing is owed");
  return {
    principal: input.principal,
    paid,
    principalOutstanding: ledger.principal,
    delayInterest,
    executionFee,
    executionFeeCharged: input.chargeExecutionFee,
    total,
    outstanding,
    surplus: paid.minus(applied),
    paidTo,
    days: basis.reduce((sum, line) => sum + line.days, 0),
    basis,
    fullyPerformedOn,
  };
}
