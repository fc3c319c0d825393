import { addDays, todayInChina } from "../../api/core/dates";
import type { Actor } from "../../api/core/actor";
import type { BatchStatus } from "../../api/payouts/payouts.schemas";
import type { InProcessCaller } from "../../api/runner/in-process";
import { chinaTime } from "./demo-clock";

export interface DemoPayoutsContext {
  /** The court to seed; the three actors must belong to it. */
  courtId: string;
  clerk: Actor;
  approver: Actor;
  finance: Actor;
  /** Case numbers are `${caseNumberPrefix}${901…904}号`; the default is `(<this year>)湘1129执`. */
  caseNumberPrefix?: string;
  log?: (message: string) => void;
}

export interface DemoPayoutsResult {
  caseIds: string[];
  /** One batch per status, to show each on the screen. */
  batches: Record<BatchStatus, string>;
  hints: string[];
}

const CASES = [
  { n: 901, applicant: "盘秀兰", debtor: "江华某运输有限公司", received: "50000.00", account: "6228480402564890018" },
  { n: 902, applicant: "江华某农机专业合作社", debtor: "黄某", received: "20000.00", account: "6217995550001234567" },
  { n: 903, applicant: "唐德明", debtor: "李某某", received: "8000.00", account: "6222021911001234568" },
  { n: 904, applicant: "奉春燕", debtor: "蒋某", received: "12000.00", account: "6230521100009876543" },
] as const;

const kindOf = (name: string) => (name.length > 4 ? ("organization" as const) : ("person" as const));

/**
 * A few payout batches, one in every state, in one court, made through the operations (so that
 * every role, four-eyes rule and check holds and every step is audited). Its money is dated in
 * the last days (received 5 days ago, paid 2 days ago), so it is neither overdue nor inside any
 * fixed report period:
 *
 * - executed: three items, two paid and one failed (account closed); one paid transfer came back;
 * - approved: waiting for finance (its payment file can be downloaded);
 * - submitted: waiting for an approver (its money is reserved);
 * - draft: not submitted yet (nothing reserved);
 * - rejected: the approver sent it back (reservation released);
 * - cancelled: withdrawn by its clerk after submitting (reservation released).
 */
export async function seedDemoPayouts(call: InProcessCaller, ctx: DemoPayoutsContext): Promise<DemoPayoutsResult> {
  const log = ctx.log ?? (() => {});
  const today = todayInChina();
  const prefix = ctx.caseNumberPrefix ?? `(${today.slice(0, 4)})湘1129执`;

  const cases: { id: string; partyId: string }[] = [];
  for (const c of CASES) {
    const created = await call("createCase", ctx.clerk, {
      body: {
        courtId: ctx.courtId,
        caseNumber: `${prefix}${c.n}号`,
        cause: "买卖合同纠纷",
        filedOn: addDays(today, -30),
        adjudicatedAmount: c.received,
        applicants: [{ name: c.applicant, kind: kindOf(c.applicant), bankAccount: { bankName: "中国农业银行江华支行", accountName: c.applicant, accountNumber: c.account } }],
        debtors: [{ name: c.debtor, kind: kindOf(c.debtor) }],
      },
    });
    await call("createReceipt", ctx.clerk, { params: { id: created.id }, body: { amount: c.received, receivedOn: addDays(today, -5), source: "deduction" } });
    const applicant = created.parties.find((p) => p.role === "applicant");
    if (!applicant) throw new Error("a demo case has an applicant");
    cases.push({ id: created.id, partyId: applicant.id });
  }
  const [a, b, c, d] = cases;
  const item = (x: { id: string; partyId: string }, amount: string) => ({ caseId: x.id, partyId: x.partyId, amount });
  const draft = (note: string, items: ReturnType<typeof item>[]) => call("createPayoutBatch", ctx.clerk, { body: { courtId: ctx.courtId, note, items } });
  const submitted = async (note: string, items: ReturnType<typeof item>[], at?: Date) => {
    const batch = await draft(note, items);
    await call("submitPayoutBatch", ctx.clerk, { params: { id: batch.id }, at });
    return batch;
  };

  // The approved batches are submitted one day and approved the next, as a court works.
  const executed = await submitted("演示：已发放批次（含一笔失败、一笔退汇）", [item(a, "30000.00"), item(b, "5000.00"), item(c, "2000.00")], chinaTime(addDays(today, -4), 10, 15));
  await call("approvePayoutBatch", ctx.approver, { params: { id: executed.id }, at: chinaTime(addDays(today, -3), 9, 40) });
  const [paidA, paidB, failedC] = executed.items;
  await call("executePayoutBatch", ctx.finance, {
    params: { id: executed.id },
    body: {
      paidOn: addDays(today, -2),
      outcomes: [
        { itemId: paidA.id, status: "paid", bankReference: "ABC20240001" },
        { itemId: paidB.id, status: "paid", bankReference: "ABC20240002" },
        { itemId: failedC.id, status: "failed", failureReason: "收款账户已销户" },
      ],
    },
  });
  await call("returnPayoutItem", ctx.finance, {
    params: { id: executed.id, itemId: paidB.id },
    body: { returnedOn: addDays(today, -1), reason: "户名与账号不符，银行退汇" },
  });

  const approved = await submitted("演示：已审批，待财务发放", [item(a, "10000.00"), item(d, "6000.00")], chinaTime(addDays(today, -2), 14, 20));
  await call("approvePayoutBatch", ctx.approver, { params: { id: approved.id }, at: chinaTime(addDays(today, -1), 10, 5) });
  const pending = await submitted("演示：已提交，待审批", [item(b, "8000.00")]);
  const plain = await draft("演示：草稿", [item(c, "3000.00"), item(d, "2000.00")]);
  const rejected = await submitted("演示：被退回的批次", [item(d, "4000.00")]);
  await call("rejectPayoutBatch", ctx.approver, { params: { id: rejected.id }, body: { reason: "金额与执行裁定书不符，请核对后重新提交" } });
  const cancelled = await submitted("演示：已撤销的批次", [item(a, "1000.00")]);
  await call("cancelPayoutBatch", ctx.clerk, { params: { id: cancelled.id }, body: { reason: "重复录入" } });

  log("demo: payout batches in every state (draft, submitted, approved, rejected, cancelled, executed with a failure and a return)");
  const batches: Record<BatchStatus, string> = {
    draft: plain.id,
    submitted: pending.id,
    approved: approved.id,
    rejected: rejected.id,
    cancelled: cancelled.id,
    executed: executed.id,
  };
  return {
    caseIds: cases.map((x) => x.id),
    batches,
    hints: [
      `Payout batches: GET /v1/payout-batches?courtId=${ctx.courtId}`,
      `  awaiting approval (approver): POST /v1/payout-batches/${pending.id}/approve`,
      `  payment file (finance): GET /v1/payout-batches/${approved.id}/payment-file`,
    ],
  };
}
