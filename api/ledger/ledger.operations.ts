import { z } from "zod";
import { operation, type FeatureOperations } from "../core/operation";
import { pageParams } from "../core/pagination";
import { idParams, uuid } from "../core/validation";
import { getCaseLedger, getReconciliation } from "./ledger-service";

const ledgerQuery = z.object({ ...pageParams }).strict();
const reconciliationQuery = z.object({ courtId: uuid }).strict();

export const ledgerOperations = {
  getCaseLedger: operation({
    roles: "any",
    writes: "none",
    params: idParams,
    query: ledgerQuery,
    run: (ctx, { params, query }) => getCaseLedger(ctx, params.id, query),
  }),

  getReconciliation: operation({
    roles: ["finance", "approver", "inspector", "admin"],
    writes: "none",
    query: reconciliationQuery,
    run: (ctx, { query }) => getReconciliation(ctx, query.courtId),
  }),
} satisfies FeatureOperations<"getCaseLedger" | "getReconciliation">;
