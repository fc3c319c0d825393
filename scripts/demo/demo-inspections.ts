import { addDays, todayInChina } from "../../api/core/dates";
import type { Actor } from "../../api/core/actor";
import type { InProcessCaller } from "../../api/runner/in-process";
import type { FindingCategory } from "../../api/inspections/inspections.schemas";

export interface DemoInspectionsContext {
  courtId: string;
  inspector: Actor;
  clerk: Actor;
  finance: Actor;
  listOfficer: Actor;
  /** Records of the court the findings name. */
  caseIds: string[];
  listingId: string;
  today?: string;
  log?: (message: string) => void;
}

/**
 * The inspection team stationed at the county court (市委第十一巡察组进驻江华法院), made through the
 * operations: a few letters and visits, and findings in every state — open, overdue, rectifying,
 * rectified and waiting, reopened, verified — so that the rectification ledger has something to show.
 */
export async function seedDemoInspections(call: InProcessCaller, ctx: DemoInspectionsContext): Promise<{ inspectionId: string; hints: string[] }> {
  const today = ctx.today ?? todayInChina();
  const log = ctx.log ?? (() => {});
  const inspection = await call("createInspection", ctx.inspector, {
    body: { courtId: ctx.courtId, name: "市委第十一巡察组进驻江华法院", from: addDays(today, -45), to: addDays(today, 45) },
    on: today,
  });
  const complaint = (channel: "letter" | "visit" | "phone" | "online", name: string, summary: string, receivedOn: string, replyBy: string, caseId?: string) =>
    call("createComplaint", ctx.inspector, { body: { courtId: ctx.courtId, receivedOn, channel, complainantName: name, summary, replyBy, ...(caseId ? { caseId } : {}) }, on: today });
  const visit = await complaint("visit", "黄秀英", "执行款到账两个多月仍未发放到申请人账户", addDays(today, -40), addDays(today, -25), ctx.caseIds[0]);
  await call("replyToComplaint", ctx.clerk, { params: { id: visit.id }, body: { repliedOn: addDays(today, -30), outcome: "经查款项已到账，已督促于三日内发放，并电话告知来访人" }, on: today });
  await complaint("letter", "唐志明", "已履行完毕但仍在失信名单上，影响乘坐高铁", addDays(today, -20), addDays(today, -5));
  await complaint("phone", "李春花", "询问执行案件进展", addDays(today, -3), addDays(today, 12));

  const finding = (category: FindingCategory, description: string, severity: "low" | "medium" | "high", entities: { type: "case" | "listing"; id: string }[], foundOn: string, rectifyBy: string, complaintId?: string) =>
    call("createFinding", ctx.inspector, {
      params: { id: inspection.id },
      body: { category, description, severity, entities, foundOn, rectifyBy, ...(complaintId ? { complaintId } : {}) },
      on: today,
    });
  const rectify = (id: string, by: Actor, description: string, completedOn?: string) =>
    call("createRectification", by, { params: { id }, body: { description, evidence: completedOn ? [{ kind: "document" as const, reference: "整改报告及凭证" }] : [], ...(completedOn ? { completedOn } : {}) }, on: today });
  const verify = (id: string, accepted: boolean, note: string) => call("verifyFinding", ctx.inspector, { params: { id }, body: { accepted, note }, on: today });
  const aCase = (i: number) => [{ type: "case" as const, id: ctx.caseIds[i % ctx.caseIds.length] }];

  // Verified: the money reached the applicant and the inspector closed it (销号).
  const fromVisit = await finding("complaint", "群众来访反映执行款迟延发放", "high", aCase(0), addDays(today, -38), addDays(today, -10), visit.id);
  await rectify(fromVisit.id, ctx.finance, "款项已发放至申请人账户", addDays(today, -28));
  await verify(fromVisit.id, true, "经核对发放凭证，整改到位，予以销号");
  // Reopened: the answer lacked the applicant's receipt.
  const reopened = await finding("overdue_funds", "案款到账超过30日未发放，无延期审批", "high", aCase(1), addDays(today, -35), addDays(today, 5));
  await rectify(reopened.id, ctx.finance, "已发放", addDays(today, -20));
  await verify(reopened.id, false, "未附申请人签收材料，退回重新整改");
  // Rectified, waiting for the inspector.
  const waiting = await finding("listing_not_removed", "被执行人已履行完毕，失信信息未及时删除", "medium", [{ type: "listing", id: ctx.listingId }], addDays(today, -30), addDays(today, 10));
  await rectify(waiting.id, ctx.listOfficer, "已删除失信信息并撤回报纸公告", addDays(today, -2));
  // Rectifying: in progress.
  const progress = await finding("freeze_lapsed", "冻结到期前未续行冻结", "medium", aCase(2), addDays(today, -25), addDays(today, 20));
  await rectify(progress.id, ctx.clerk, "已重新查控被执行人存款，正在办理冻结");
  // Open and overdue: nobody answered by the deadline.
  await finding("record_altered", "收款记录冲销后未留存书面审批", "low", aCase(3), addDays(today, -30), addDays(today, -2));
  // Open, on time.
  await finding("other", "执行款专户对账不及时", "low", [], addDays(today, -5), addDays(today, 25));
  log("demo: an inspection of the county court with findings in every state and three letters and visits");

  // A red flag of its own kind: finance records a receipt and reverses it itself (登记人自行冲销).
  const mistaken = await call("createReceipt", ctx.finance, { params: { id: ctx.caseIds[0] }, body: { amount: "1200.00", receivedOn: addDays(today, -12), source: "other", payerName: "唐某" }, on: addDays(today, -12) });
  await call("reverseReceipt", ctx.finance, { params: { id: mistaken.id }, body: { reason: "重复登记" }, on: addDays(today, -11) });

  const ledger = `/v1/reports/rectification?inspectionId=${inspection.id}`;
  const redFlags = `/v1/reports/red-flags?courtId=${ctx.courtId}&from=2024-01-01&to=${today}`;
  return {
    inspectionId: inspection.id,
    hints: [
      `The rectification ledger (整改台账), as the inspector:`,
      `  GET ${ledger}  (&format=csv, &format=xlsx)`,
      `Red flags (风险提示) and the findings the data propose, as the inspector:`,
      `  GET ${redFlags}`,
      `  (a repayment 5 days after an account change, the batch that carried it approved in 4 minutes, a receipt reversed by its recorder, money held past its date)`,
      `  GET /v1/inspections/${inspection.id}/proposals`,
    ],
  };
}
