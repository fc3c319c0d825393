import { operation, type FeatureOperations } from "../core/operation";
import { idParams } from "../core/validation";
import { approveDeferral, endDeferral, listDeferrals, rejectDeferral, requestDeferral } from "./deferrals-service";
import { decisionRejectBody, deferralBody, deferralEndBody, deferralListQuery } from "./deferrals.schemas";

export const deferralOperations = {
  requestDeferral: operation({
    roles: ["clerk"],
    writes: "transaction",
    status: 201,
    params: idParams,
    body: deferralBody,
    run: (ctx, { params, body }) => requestDeferral(ctx, params.id, body),
  }),

  approveDeferral: operation({
    roles: ["approver"],
    writes: "transaction",
    params: idParams,
    run: (ctx, { params }) => approveDeferral(ctx, params.id),
  }),

  rejectDeferral: operation({
    roles: ["approver"],
    writes: "transaction",
    params: idParams,
    body: decisionRejectBody,
    run: (ctx, { params, body }) => rejectDeferral(ctx, params.id, body.reason),
  }),

  endDeferral: operation({
    roles: ["clerk", "approver"],
    writes: "transaction",
    params: idParams,
    body: deferralEndBody,
    run: (ctx, { params, body }) => endDeferral(ctx, params.id, body),
  }),

  listDeferrals: operation({
    roles: "any",
    writes: "none",
    query: deferralListQuery,
    run: (ctx, { query }) => listDeferrals(ctx, query),
  }),
} satisfies FeatureOperations<"requestDeferral" | "approveDeferral" | "rejectDeferral" | "endDeferral" | "listDeferrals">;
