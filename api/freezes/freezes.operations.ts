import { operation, type FeatureOperations } from "../core/operation";
import { idParams } from "../core/validation";
import { createFreeze, getFreeze, listFreezes, releaseFreeze, renewFreeze } from "./freezes-service";
import { freezeCreateBody, freezeListQuery, freezeReleaseBody, freezeRenewBody } from "./freezes.schemas";

export const freezeOperations = {
  createFreeze: operation({
    roles: ["clerk"],
    writes: "transaction",
    status: 201,
    params: idParams,
    body: freezeCreateBody,
    run: (ctx, { params, body }) => createFreeze(ctx, params.id, body),
  }),

  listFreezes: operation({
    roles: "any",
    writes: "none",
    query: freezeListQuery,
    run: (ctx, { query }) => listFreezes(ctx, query),
  }),

  getFreeze: operation({
    roles: "any",
    writes: "none",
    params: idParams,
    run: (ctx, { params }) => getFreeze(ctx, params.id),
  }),

  renewFreeze: operation({
    roles: ["clerk"],
    writes: "transaction",
    params: idParams,
    body: freezeRenewBody,
    run: (ctx, { params, body }) => renewFreeze(ctx, params.id, body.expiresOn),
  }),

  releaseFreeze: operation({
    roles: ["clerk"],
    writes: "transaction",
    params: idParams,
    body: freezeReleaseBody,
    run: (ctx, { params, body }) => releaseFreeze(ctx, params.id, body.releasedOn),
  }),
} satisfies FeatureOperations<"createFreeze" | "listFreezes" | "getFreeze" | "renewFreeze" | "releaseFreeze">;
