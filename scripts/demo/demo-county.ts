import Decimal from "decimal.js";
import { addDays, dayOfWeek, todayInChina } from "../../api/core/dates";
import type { Actor } from "../../api/core/actor";
import { MoneyDecimal, type Money } from "../../api/core/money";
import type { InProcessCaller } from "../../api/runner/in-process";
import { chinaTime } from "./demo-clock";

/**
 * The county court of the newspaper story: "from 11 March to date the enforcement bureau disbursed
 * 10.73 million yuan (1073万元) in 284 cases". 284 cases receive exactly 10,730,000.00 yuan paid out
 * between 2024-03-11 and 2024-04-23, with money paid before and after the period, a transfer the
 * bank returned (and paid again to the corrected account), money still held (some overdue, some
 * deferred), and a neighbouring court's payouts in the same period. Made through the operations,
 * deterministically (a seeded generator), so the figures are the same on every machine.
 */
export const COUNTY_PERIOD = { from: "2024-03-11", to: "2024-04-23" } as const;
export const COUNTY_TOTAL = "10730000.00";
export const COUNTY_CASES = 284;

export interface CountyActors {
  clerk: Actor;
  finance: Actor;
  approver: Actor;
}

export interface CountySeedOptions {
  county: { id: string };
  neighbour: { id: string };
  actors: CountyActors;
  log?: (message: string) => void;
}

/**
 * The one batch the approver waved through: it carries the repayment to the applicant's account
 * changed on 2024-03-28, and was approved four minutes after it was submitted. Every other batch is
 * submitted two days before it is paid and approved hours or a day later.
 */
export const QUICK_APPROVAL_PAID_ON = "2024-04-02";
export const ACCOUNT_CHANGE_APPROVED_ON = "2024-03-28";

const HOLIDAYS_2024 = new Set(["2024-04-04", "2024-04-05", "2024-04-06", "2024-05-01", "2024-05-02", "2024-05-03", "2024-06-10"]);

/** mulberry32: a tiny deterministic generator, so the demo is the same everywhere. */
function generator(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function workingDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const dow = dayOfWeek(d);
    if (dow !== 0 && dow !== 6 && !HOLIDAYS_2024.has(d)) days.push(d);
  }
  return days;
}

/** Splits a total into `count` amounts of whole yuan and fen, spread like real judgments, summing exactly. */
export function splitTotal(total: Money, count: number, random: () => number): Money[] {
  const weights = Array.from({ length: count }, () => new MoneyDecimal(Math.exp(random() * 3)));
  const sum = weights.reduce((s, w) => s.plus(w), new MoneyDecimal(0));
  const amounts = weights.map((w) => w.dividedBy(sum).times(total).toDecimalPlaces(2, Decimal.ROUND_DOWN));
  const rest = total.minus(amounts.reduce((s, a) => s.plus(a), new MoneyDecimal(0)));
  const largest = amounts.reduce((best, a, i) => (a.gt(amounts[best]) ? i : best), 0);
  amounts[largest] = amounts[largest].plus(rest);
  return amounts;
}

const SURNAMES = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗盘奉唐蒋邓".split("");
const GIVEN = "秀英国华建军小玲志强丽娟德明春梅海燕文斌红霞永福桂兰".split("");

interface PlannedPayout {
  caseIndex: number;
  amount: Money;
  paidOn: string;
}

export async function seedCountyDemo(call: InProcessCaller, opts: CountySeedOptions): Promise<{ jhCases: number }> {
  const log = opts.log ?? (() => {});
  const random = generator(20240311);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const name = () => pick(SURNAMES) + pick(GIVEN) + (random() < 0.5 ? pick(GIVEN) : "");
  const { clerk, finance, approver } = opts.actors;
  type Source = "voluntary" | "deduction" | "auction";
  let caseNo = 1000;

  const newCase = async (courtId: string, adjudicated: Money, filedOn: string, prefix = "(2024)湘1129执") => {
    caseNo += 1;
    const applicant = name();
    const c = await call("createCase", clerk, {
      body: {
        courtId,
        caseNumber: `${prefix}${caseNo}号`,
        cause: pick(["民间借贷纠纷", "买卖合同纠纷", "劳动争议", "机动车交通事故责任纠纷", "租赁合同纠纷", "建设工程施工合同纠纷"]),
        filedOn,
        adjudicatedAmount: adjudicated.toFixed(2),
        applicants: [{ name: applicant, kind: "person", bankAccount: { bankName: pick(["中国农业银行江华支行", "中国工商银行永州分行", "江华农村商业银行"]), accountName: applicant, accountNumber: `6228${String(48000000000000 + caseNo * 7919).padStart(15, "0")}` } }],
        debtors: [{ name: random() < 0.3 ? `江华某${pick(["建材", "运输", "商贸", "建筑"])}有限公司` : name(), kind: "person" }],
      },
    });
    return { id: c.id, applicantId: c.parties[0].id, applicantName: applicant };
  };
  const receiveMoney = (caseId: string, amount: Money, receivedOn: string) =>
    call("createReceipt", clerk, { params: { id: caseId }, body: { amount: amount.toFixed(2), receivedOn, source: pick<Source>(["voluntary", "deduction", "deduction", "auction"]) } });

  // The times of day come from their own generator, so that the amounts and dates stay as they were.
  const clockRandom = generator(20240402);
  const between = (from: number, to: number) => from + Math.floor(clockRandom() * (to - from));
  const approvalTimes = (paidOn: string, quick: boolean) => {
    if (quick) return { submittedAt: chinaTime(addDays(paidOn, -1), 16, 2), approvedAt: chinaTime(addDays(paidOn, -1), 16, 6) };
    const submittedOn = addDays(paidOn, -2);
    const submittedAt = chinaTime(submittedOn, between(9, 12), between(0, 60));
    // Half the batches are approved the same afternoon, the others the next morning.
    const approvedAt = clockRandom() < 0.5 ? chinaTime(submittedOn, between(14, 18), between(0, 60)) : chinaTime(addDays(submittedOn, 1), between(8, 12), between(0, 60));
    return { submittedAt, approvedAt };
  };

  /** One batch per court and day: made by the clerk, approved by the approver, paid by finance. */
  const pay = async (courtId: string, paidOn: string, items: { caseId: string; partyId: string; amount: Money }[]) => {
    const batch = await call("createPayoutBatch", clerk, {
      body: { courtId, note: `${paidOn} 案款发放`, items: items.map((i) => ({ caseId: i.caseId, partyId: i.partyId, amount: i.amount.toFixed(2) })) },
    });
    // Submitted and approved at the times the story has them, through the operations themselves.
    const times = approvalTimes(paidOn, courtId === opts.county.id && paidOn === QUICK_APPROVAL_PAID_ON);
    await call("submitPayoutBatch", clerk, { params: { id: batch.id }, at: times.submittedAt });
    await call("approvePayoutBatch", approver, { params: { id: batch.id }, at: times.approvedAt });
    return call("executePayoutBatch", finance, { params: { id: batch.id }, body: { paidOn } });
  };

  // --- The 284 cases paid in the period -----------------------------------------------------
  const days = workingDays(COUNTY_PERIOD.from, COUNTY_PERIOD.to);
  const caseTotals = splitTotal(new MoneyDecimal(COUNTY_TOTAL), COUNTY_CASES, random);
  const planned: PlannedPayout[] = [];
  const cases: { id: string; applicantId: string; applicantName: string }[] = [];
  for (let i = 0; i < COUNTY_CASES; i++) {
    const total = caseTotals[i];
    const twoPayouts = random() < 0.15 && total.gte(2000);
    const firstDay = Math.floor(random() * (twoPayouts ? days.length - 5 : days.length));
    const parts = twoPayouts ? splitTotal(total, 2, random) : [total];
    const paidDays = twoPayouts ? [days[firstDay], days[firstDay + 1 + Math.floor(random() * 4)]] : [days[firstDay]];
    // Most money waits 5–25 days; one case in eight waits longer than the 30-day rule allows.
    const waited = random() < 0.125 ? 31 + Math.floor(random() * 30) : 5 + Math.floor(random() * 21);
    const receivedOn = addDays(paidDays[0], -waited);
    const filedOn = addDays(receivedOn, -(30 + Math.floor(random() * 240)));
    const fullyPaid = random() < 0.6;
    const adjudicated = fullyPaid ? total : total.times(1 + random()).toDecimalPlaces(2, Decimal.ROUND_UP);
    const c = await newCase(opts.county.id, adjudicated, filedOn);
    await receiveMoney(c.id, total, receivedOn);
    cases.push(c);
    parts.forEach((amount, k) => planned.push({ caseIndex: i, amount, paidOn: paidDays[k] }));
    if ((i + 1) % 50 === 0) log(`demo: county court, ${i + 1}/${COUNTY_CASES} cases recorded`);
  }

  // A transfer the bank returned: paid on 2024-03-20, returned a week later, paid again to the
  // corrected account (a bank account change asked for that day and approved by a second person the
  // next, dated as it happened) on 2024-04-02: the red flag "payout within 30 days of an account change".
  const firstPlan = planned.find((p) => p.paidOn <= "2024-03-20"); // its money arrived before 03-20
  if (!firstPlan) throw new Error("some case is paid by 2024-03-20");
  const returnedCase = cases[firstPlan.caseIndex];
  const wrong = await pay(opts.county.id, "2024-03-20", [{ caseId: returnedCase.id, partyId: returnedCase.applicantId, amount: firstPlan.amount }]);
  await call("returnPayoutItem", finance, { params: { id: wrong.id, itemId: wrong.items[0].id }, body: { returnedOn: "2024-03-27", reason: "收款账户已销户 (account closed)" } });
  const change = await call("requestBankAccountChange", clerk, {
    params: { id: returnedCase.applicantId },
    body: { bankAccount: { bankName: "中国建设银行江华支行", accountName: returnedCase.applicantName, accountNumber: "6217002930000012345" } },
    on: "2024-03-27",
  });
  await call("approveBankAccountChange", approver, { params: { id: change.id }, on: ACCOUNT_CHANGE_APPROVED_ON });
  firstPlan.paidOn = QUICK_APPROVAL_PAID_ON;

  const byDay = new Map<string, PlannedPayout[]>();
  for (const p of planned) byDay.set(p.paidOn, [...(byDay.get(p.paidOn) ?? []), p]);
  for (const [paidOn, list] of [...byDay.entries()].sort()) {
    await pay(opts.county.id, paidOn, list.map((p) => ({ caseId: cases[p.caseIndex].id, partyId: cases[p.caseIndex].applicantId, amount: p.amount })));
  }
  log(`demo: county court, ${planned.length} payouts in ${byDay.size} batches between ${COUNTY_PERIOD.from} and ${COUNTY_PERIOD.to}`);

  // --- Before and after the period ------------------------------------------------------------
  for (const [paidOn, count] of [["2024-01-16", 6], ["2024-02-27", 6], ["2024-03-08", 6], ["2024-04-24", 5], ["2024-05-20", 4], ["2024-06-28", 3]] as const) {
    const items = [];
    for (let k = 0; k < count; k++) {
      const amount = new MoneyDecimal(5000 + Math.floor(random() * 60000)).plus(new MoneyDecimal(Math.floor(random() * 100)).dividedBy(100));
      const c = await newCase(opts.county.id, amount, addDays(paidOn, -120));
      await receiveMoney(c.id, amount, addDays(paidOn, -(7 + Math.floor(random() * 20))));
      items.push({ caseId: c.id, partyId: c.applicantId, amount });
    }
    await pay(opts.county.id, paidOn, items);
  }
  log("demo: county court, payouts before and after the period");

  // --- Money still held: overdue, deferred, and fresh ------------------------------------------
  const today = todayInChina();
  for (let k = 0; k < 10; k++) {
    const amount = new MoneyDecimal(3000 + Math.floor(random() * 90000));
    const receivedOn = k < 6 ? addDays(today, -(35 + k * 40)) : addDays(today, -(2 + k));
    const c = await newCase(opts.county.id, amount.times(2), addDays(receivedOn, -90));
    await receiveMoney(c.id, amount, receivedOn);
    if (k === 0 || k === 1) {
      const d = await call("requestDeferral", clerk, {
        params: { id: c.id },
        body: { reason: k === 0 ? "applicant_unreachable" : "amount_disputed", until: addDays(today, 45), note: "申请人暂时联系不上，待核实后发放" },
      });
      await call("approveDeferral", approver, { params: { id: d.id } });
    }
  }
  log("demo: county court, money still held (4 overdue, 2 deferred, 4 fresh)");

  // --- The neighbouring court pays in the same period --------------------------------------------
  const lxItems = [];
  for (let k = 0; k < 20; k++) {
    const amount = new MoneyDecimal(8000 + Math.floor(random() * 120000));
    const c = await newCase(opts.neighbour.id, amount, "2023-11-20", "(2024)湘0682执");
    await receiveMoney(c.id, amount, "2024-03-04");
    lxItems.push({ caseId: c.id, partyId: c.applicantId, amount });
  }
  await pay(opts.neighbour.id, "2024-03-29", lxItems);
  log("demo: neighbouring court, 20 cases paid on 2024-03-29");
  return { jhCases: caseNo - 1000 };
}
