import { z } from "zod";
import { operation, type FeatureOperations } from "../core/operation";
import { pageParams } from "../core/pagination";
import { uuid } from "../core/validation";
import { listAuditEvents, verifyAuditTrail } from "./audit-service";

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

export const auditOperations = {
  listAuditEvents: operation({
    roles: ["inspector", "admin"],
    writes: "none",
    query: auditQuery,
    run: (ctx, { query }) => listAuditEvents(ctx, query),
  }),

  verifyAuditChain: operation({
    roles: ["inspector", "admin"],
    writes: "none",
    query: z.object({ courtId: uuid.optional() }).strict(),
    run: (ctx, { query }) => verifyAuditTrail(ctx, query),
  }),
} satisfies FeatureOperations<"listAuditEvents" | "verifyAuditChain">;
