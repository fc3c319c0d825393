import { operation, type FeatureOperations } from "../core/operation";
import { createUser, getCurrentUser } from "./users-service";
import { userCreateBody } from "./users.schemas";

export const userOperations = {
  createUser: operation({
    roles: ["admin"],
    writes: "transaction",
    status: 201,
    body: userCreateBody,
    run: (ctx, { body }) => createUser(ctx, body),
  }),

  getCurrentUser: operation({
    roles: "any",
    writes: "none",
    run: (ctx) => getCurrentUser(ctx),
  }),
} satisfies FeatureOperations<"createUser" | "getCurrentUser">;
