import { operation, type FeatureOperations } from "../core/operation";
import { idParams } from "../core/validation";
import { getCourt, updateCourt } from "./court-settings";
import { createCourt, listCourts } from "./courts-service";
import { courtCreateBody, courtListQuery, courtUpdateBody } from "./courts.schemas";

export const courtOperations = {
  createCourt: operation({
    roles: ["admin"],
    writes: "transaction",
    status: 201,
    body: courtCreateBody,
    run: (ctx, { body }) => createCourt(ctx, body),
  }),

  listCourts: operation({
    roles: "any",
    writes: "none",
    query: courtListQuery,
    run: (ctx, { query }) => listCourts(ctx, query),
  }),

  getCourt: operation({
    roles: "any",
    writes: "none",
    params: idParams,
    run: (ctx, { params }) => getCourt(ctx, params.id),
  }),

  updateCourt: operation({
    roles: ["admin"],
    writes: "transaction",
    params: idParams,
    body: courtUpdateBody,
    run: (ctx, { params, body }) => updateCourt(ctx, params.id, body),
  }),
} satisfies FeatureOperations<"createCourt" | "listCourts" | "getCourt" | "updateCourt">;
