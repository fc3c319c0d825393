import { operation, type FeatureOperations } from "../core/operation";
import { idParams } from "../core/validation";
import { getAmountOwed, recordPerformance } from "./performance-service";
import { amountOwedQuery, performanceCreateBody } from "./performance.schemas";

export const performanceOperations = {
  getAmountOwed: operation({
    roles: "any",
    writes: "none",
    params: idParams,
    query: amountOwedQuery,
    run: (ctx, { params, query }) => getAmountOwed(ctx, params.id, query.asOf),
  }),

  recordPerformance: operation({
    roles: ["clerk", "list_officer"],
    writes: "transaction",
    status: 201,
    params: idParams,
    body: performanceCreateBody,
    run: (ctx, { params, body }) => recordPerformance(ctx, params.id, body),
  }),
} satisfies FeatureOperations<"getAmountOwed" | "recordPerformance">;
