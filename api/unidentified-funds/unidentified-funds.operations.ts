import { operation, type FeatureOperations } from "../core/operation";
import { idParams } from "../core/validation";
import { claimFund, listFunds, returnFund } from "./unidentified-funds-service";
import { fundClaimBody, fundListQuery, fundReturnBody } from "./unidentified-funds.schemas";

export const unidentifiedFundOperations = {
  listUnidentifiedFunds: operation({
    roles: ["finance", "clerk", "approver", "inspector"],
    writes: "none",
    query: fundListQuery,
    run: (ctx, { query }) => listFunds(ctx, query),
  }),

  // The enforcement clerk who knows the case claims; in many courts finance does the 认领 for her.
  claimUnidentifiedFund: operation({
    roles: ["clerk", "finance"],
    writes: "idempotent",
    params: idParams,
    body: fundClaimBody,
    run: (ctx, { params, body }) => claimFund(ctx, params.id, body),
  }),

  returnUnidentifiedFund: operation({
    roles: ["finance"],
    writes: "idempotent",
    params: idParams,
    body: fundReturnBody,
    run: (ctx, { params, body }) => returnFund(ctx, params.id, body.reason),
  }),
} satisfies FeatureOperations<"listUnidentifiedFunds" | "claimUnidentifiedFund" | "returnUnidentifiedFund">;
