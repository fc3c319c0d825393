import { z } from "zod";
import { operation, type FeatureOperations } from "../core/operation";
import { businessDate } from "../core/dates";
import { uuid } from "../core/validation";
import { getReconciliation } from "./ledger-service";

const reconciliationQuery = z.object({ courtId: uuid, asOf: businessDate.optional() }).strict();

export const ledgerOperations = {
  getReconciliation: operation({
    roles: ["finance", "approver", "inspector", "admin"],
    writes: "none",
    query: reconciliationQuery,
    run: (ctx, { query }) => getReconciliation(ctx, query.courtId, query.asOf),
  }),
} satisfies FeatureOperations<"getReconciliation">;
