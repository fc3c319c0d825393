import { operation, type FeatureOperations } from "../core/operation";
import { idParams } from "../core/validation";
import { approveDeferral, requestDeferral } from "./deferrals-service";
import { deferralBody } from "./deferrals.schemas";

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
} satisfies FeatureOperations<"requestDeferral" | "approveDeferral">;
