import { operation, type FeatureOperations } from "../core/operation";
import { idParams } from "../core/validation";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-tokens-service";
import { apiTokenCreateBody, apiTokenListQuery, userCreateBody, userListQuery, userUpdateBody } from "./users.schemas";
import {
  createUser,
  deactivateUser,
  getCurrentUser,
  getUser,
  listUsers,
  prepareOneTimePassword,
  reactivateUser,
  resetUserPassword,
  updateUser,
} from "./users-service";

export const userOperations = {
  createUser: operation({
    roles: ["admin"],
    writes: "transaction",
    status: 201,
    body: userCreateBody,
    prepare: async (ctx, { body }) => (body.username ? prepareOneTimePassword(ctx.config.passwordScryptCost) : undefined),
    run: (ctx, { body, prepared }) => createUser(ctx, body, prepared),
  }),

  getCurrentUser: operation({
    roles: "any",
    writes: "none",
    allowBeforePasswordChange: true,
    run: (ctx) => getCurrentUser(ctx),
  }),

  listUsers: operation({ roles: ["admin"], writes: "none", query: userListQuery, run: (ctx, { query }) => listUsers(ctx, query) }),

  getUser: operation({ roles: ["admin"], writes: "none", params: idParams, run: (ctx, { params }) => getUser(ctx, params.id) }),

  updateUser: operation({
    roles: ["admin"],
    writes: "transaction",
    params: idParams,
    body: userUpdateBody,
    run: (ctx, { params, body }) => updateUser(ctx, params.id, body),
  }),

  deactivateUser: operation({ roles: ["admin"], writes: "transaction", params: idParams, run: (ctx, { params }) => deactivateUser(ctx, params.id) }),

  reactivateUser: operation({ roles: ["admin"], writes: "transaction", params: idParams, run: (ctx, { params }) => reactivateUser(ctx, params.id) }),

  resetUserPassword: operation({
    roles: ["admin"],
    writes: "transaction",
    params: idParams,
    prepare: (ctx) => prepareOneTimePassword(ctx.config.passwordScryptCost),
    run: (ctx, { params, prepared }) => resetUserPassword(ctx, params.id, prepared),
  }),

  createApiToken: operation({
    roles: ["admin"],
    writes: "transaction",
    status: 201,
    body: apiTokenCreateBody,
    run: (ctx, { body }) => createApiToken(ctx, body),
  }),

  listApiTokens: operation({ roles: ["admin"], writes: "none", query: apiTokenListQuery, run: (ctx, { query }) => listApiTokens(ctx, query) }),

  revokeApiToken: operation({ roles: ["admin"], writes: "transaction", params: idParams, run: (ctx, { params }) => revokeApiToken(ctx, params.id) }),
} satisfies FeatureOperations<
  | "createUser"
  | "getCurrentUser"
  | "listUsers"
  | "getUser"
  | "updateUser"
  | "deactivateUser"
  | "reactivateUser"
  | "resetUserPassword"
  | "createApiToken"
  | "listApiTokens"
  | "revokeApiToken"
>;
