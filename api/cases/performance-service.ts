import crypto from "node:crypto";
import { conflict, invalidState, notFound, validationFailed } from "../core/errors";
import { formatMoney, MoneyDecimal, ZERO, type Money } from "../core/money";
import type { ReadContext, WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import type { AmountOwed } from "../ledger/amount-owed";
import { amountOwedOn, executionFeePaidOut, performanceFacts, refreshPerformance, type PerformanceFacts } from "../ledger/performance";
import { lockBalances } from "../ledger/postings";
import { loadCase } from "./cases-service";
import type { PerformanceCreateInput } from "./performance.schemas";

/**
 * What a debtor owes (`GET /v1/cases/{id}/amount-owed`) and an officer's record of full
 * performance (`POST /v1/cases/{id}/performance`). The rule is api/ledger/amount-owed.ts; the
 * fully-performed derivation is api/ledger/performance.ts. Sources: docs/rules/amount-owed.md.
 */
const m = (v: Money) => formatMoney(v);

function toPerformance(caseId: string, r: NonNullable<PerformanceFacts["recorded"]>): Schemas["Performance"] {
  return { caseId, performedOn: r.performedOn, waived: { delayInterest: r.waivedDelayInterest }, note: r.note, recordedBy: r.createdBy, recordedAt: r.createdAt.toISOString() };
}

function toAmountOwed(facts: PerformanceFacts, a: AmountOwed, asOf: string, fullyPerformedOn: string | null, feePaidOut: Money): Schemas["AmountOwed"] {
  return {
    caseId: facts.caseId,
    asOf,
    performBy: facts.performBy,
    principal: m(a.principal),
    paid: m(a.paid),
    principalOutstanding: m(a.principalOutstanding),
    delayInterest: m(a.delayInterest),
    executionFee: m(a.executionFee),
    executionFeeCharged: a.executionFeeCharged,
    executionFeePaidOut: m(feePaidOut),
    executionFeeUnpaid: m(a.executionFeeCharged ? MoneyDecimal.max(ZERO, a.executionFee.minus(feePaidOut)) : ZERO),
    total: m(a.total),
    outstanding: m(a.outstanding),
    surplus: m(a.surplus),
    paidTo: { executionFee: m(a.paidTo.executionFee), principal: m(a.paidTo.principal), delayInterest: m(a.paidTo.delayInterest) },
    days: a.days,
    basis: a.basis.map((l) => ({ from: l.from, to: l.to, days: l.days, principalBase: m(l.principalBase), interest: m(l.interest) })),
    fullyPerformedOn,
    performance: facts.recorded ? toPerformance(facts.caseId, facts.recorded) : null,
  };
}

export async function getAmountOwed(ctx: ReadContext, caseId: string, asOf: string | undefined): Promise<Schemas["AmountOwed"]> {
  const c = await loadCase(ctx.db, ctx.actor, caseId);
  const facts = await performanceFacts(ctx.db, caseId);
  if (!facts) throw notFound("The case");
  const day = asOf ?? ctx.today;
  return toAmountOwed(facts, amountOwedOn(facts, day), day, c.balance.fully_performed_on, await executionFeePaidOut(ctx.db, caseId, day));
}

export async function recordPerformance(ctx: WriteContext, caseId: string, input: PerformanceCreateInput): Promise<Schemas["Performance"]> {
  const tx = ctx.db;
  await loadCase(tx, ctx.actor, caseId); // 404 before any lock
  await lockBalances(tx, [caseId]);
  const c = await loadCase(tx, ctx.actor, caseId);
  const facts = await performanceFacts(tx, caseId);
  if (!facts) throw notFound("The case");
  if (input.performedOn > ctx.today) throw validationFailed([{ path: "body.performedOn", message: "must not be in the future" }], "performedOn must not be in the future");
  if (input.performedOn < c.filed_on) throw validationFailed([{ path: "body.performedOn", message: `must not be before the case was filed (${c.filed_on})` }], "performedOn must not be before filedOn");
  if (facts.recorded) throw conflict(`Full performance of this case was already recorded, on ${facts.recorded.performedOn}`);
  const waived = input.waived?.delayInterest === true;
  const owed = amountOwedOn(facts, input.performedOn);
  if (waived) {
    if (facts.performBy === null) {
      throw invalidState("The case has no performBy: no delay interest runs, so none can be waived", { reason: "no_perform_by" });
    }
    const short = owed.principalOutstanding.plus(owed.executionFeeCharged ? owed.executionFee.minus(owed.paidTo.executionFee) : 0);
    if (short.gt(0)) {
      throw invalidState(`Even without the delay interest, ${m(short)} yuan of the principal and fee is still owed on ${input.performedOn}`, { reason: "not_fully_performed" });
    }
  }
  await tx("case_performances").insert({
    id: crypto.randomUUID(),
    court_id: c.court_id,
    case_id: caseId,
    performed_on: input.performedOn,
    waived_delay_interest: waived,
    note: input.note,
    created_by: ctx.actor.id,
  });
  const before = c.balance.fully_performed_on;
  await refreshPerformance(tx, caseId);
  const after = await performanceFacts(tx, caseId);
  ctx.audit.record({
    action: "case.performance_recorded",
    entityType: "case",
    entityId: caseId,
    courtId: c.court_id,
    data: {
      performedOn: input.performedOn,
      waived: { delayInterest: waived },
      note: input.note,
      owedOnThatDay: { total: m(owed.total), paid: m(owed.paid), delayInterest: m(owed.delayInterest), outstanding: m(owed.outstanding) },
      fullyPerformedOn: { before, after: (await tx("case_balances").where({ case_id: caseId }).first<{ fully_performed_on: string | null }>("fully_performed_on"))?.fully_performed_on ?? null },
    },
  });
  return toPerformance(caseId, after!.recorded!);
}
