import { z } from "zod";
import { requireRole } from "../http/auth";
import type { FeatureHandlers } from "../http/operations";
import { pageParams } from "../core/pagination";
import { parseQuery, uuid } from "../http/validate";
import { listAuditEvents, verifyAuditChain } from "./audit-service";

const auditQuery = z
  .object({
    entityType: z.string().max(50).optional(),
    entityId: z.string().max(100).optional(),
    actorId: uuid.optional(),
    courtId: uuid.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    ...pageParams,
  })
  .strict();

export const auditHandlers: FeatureHandlers<"listAuditEvents" | "verifyAuditChain"> = {
  async listAuditEvents(req, res) {
    const actor = requireRole(req, "inspector", "admin");
    const query = parseQuery(req, auditQuery);
    res.json(await listAuditEvents(req.ctx.db.knex, actor, query));
  },

  async verifyAuditChain(req, res) {
    requireRole(req, "inspector", "admin");
    res.json(await verifyAuditChain(req.ctx.db.knex));
  },
};
