import crypto from "node:crypto";
import type { Knex } from "knex";
import { z } from "zod";
import { withTransaction } from "../../db/transaction";
import { appendAuditEvent } from "../audit/audit-store";
import { loadCase, type ServiceContext } from "../cases/cases-service";
import { businessDate, todayInChina } from "../core/dates";
import { requireRole } from "../http/auth";
import { AppError, invalidState } from "../core/errors";
import { lockPendingForApproval } from "../core/four-eyes";
import type { FeatureHandlers } from "../http/operations";
import type { Schemas } from "../core/schemas";
import { idParams, parseBody, parseParams } from "../http/validate";

/**
 * Deferral of disbursement (延缓发放): while an approved deferral covers a date, the case's held
 * money is not overdue on that date. It takes a second person to approve.
 */
interface DeferralRow {
  id: string;
  court_id: string;
  case_id: string;
  reason: Schemas["Deferral"]["reason"];
  until: string;
  note: string | null;
  status: "pending" | "approved";
  requested_by: string;
  requested_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
}

const deferralBody = z
  .object({
    reason: z.enum(["applicant_unreachable", "amount_disputed", "execution_suspended", "objection_pending", "other"]),
    until: businessDate,
    note: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();

function toDeferral(r: DeferralRow): Schemas["Deferral"] {
  return {
    id: r.id,
    caseId: r.case_id,
    courtId: r.court_id,
    reason: r.reason,
    until: r.until,
    note: r.note,
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    approvedBy: r.approved_by,
    approvedAt: r.approved_at?.toISOString() ?? null,
  };
}

export async function requestDeferral(
  tx: Knex.Transaction,
  ctx: ServiceContext,
  caseId: string,
  input: z.output<typeof deferralBody>,
): Promise<Schemas["Deferral"]> {
  const c = await loadCase(tx, ctx.actor, caseId);
  if (c.status !== "open") throw invalidState("The case is closed");
  if (input.until < todayInChina()) {
    throw new AppError("validation_failed", "until is in the past", { errors: [{ path: "body.until", message: "must be today or later" }] });
  }
  const [row] = await tx("deferrals")
    .insert({ id: crypto.randomUUID(), court_id: c.court_id, case_id: caseId, reason: input.reason, until: input.until, note: input.note ?? null, requested_by: ctx.actor.id })
    .returning<DeferralRow[]>("*");
  await appendAuditEvent(tx, {
    actorId: ctx.actor.id,
    action: "deferral.requested",
    entityType: "deferral",
    entityId: row.id,
    courtId: c.court_id,
    requestId: ctx.requestId,
    data: { caseId, reason: input.reason, until: input.until, note: input.note ?? null },
  });
  return toDeferral(row);
}

export async function approveDeferral(tx: Knex.Transaction, ctx: ServiceContext, id: string): Promise<Schemas["Deferral"]> {
  const row = await lockPendingForApproval<DeferralRow>(tx, { table: "deferrals", id, actor: ctx.actor, what: "The deferral" });
  const [approved] = await tx("deferrals")
    .where({ id })
    .update({ status: "approved", approved_by: ctx.actor.id, approved_at: tx.fn.now(), approved_on: todayInChina() })
    .returning<DeferralRow[]>("*");
  await appendAuditEvent(tx, {
    actorId: ctx.actor.id,
    action: "deferral.approved",
    entityType: "deferral",
    entityId: id,
    courtId: row.court_id,
    requestId: ctx.requestId,
    data: { caseId: row.case_id, until: row.until, requestedBy: row.requested_by },
  });
  return toDeferral(approved);
}

export const deferralHandlers: FeatureHandlers<"requestDeferral" | "approveDeferral"> = {
  async requestDeferral(req, res) {
    const actor = requireRole(req, "clerk");
    const { id } = parseParams(req, idParams);
    const input = parseBody(req, deferralBody);
    res.status(201).json(await withTransaction(req.ctx.db.knex, (tx) => requestDeferral(tx, { actor, requestId: req.ctx.requestId }, id, input)));
  },

  async approveDeferral(req, res) {
    const actor = requireRole(req, "approver");
    const { id } = parseParams(req, idParams);
    res.json(await withTransaction(req.ctx.db.knex, (tx) => approveDeferral(tx, { actor, requestId: req.ctx.requestId }, id)));
  },
};
