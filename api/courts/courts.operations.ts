import { operation, type FeatureOperations } from "../core/operation";
import { createCourt, listCourts } from "./courts-service";
import { courtCreateBody, courtListQuery } from "./courts.schemas";

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
} satisfies FeatureOperations<"createCourt" | "listCourts">;
