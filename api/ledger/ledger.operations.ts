import { z } from "zod";
import { operation, type FeatureOperations } from "../core/operation";
import { uuid } from "../core/validation";
import { getReconciliation } from "./ledger-service";

const reconciliationQuery = z.object({ courtId: uuid }).strict();

export const ledgerOperations = {
  getReconciliation: operation({
    roles: ["finance", "approver", "inspector", "admin"],
    writes: "none",
    query: reconciliationQuery,
    run: (ctx, { query }) => getReconciliation(ctx, query.courtId),
  }),
} satisfies FeatureOperations<"getReconciliation">;
