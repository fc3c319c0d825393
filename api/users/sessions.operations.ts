import { operation, type FeatureOperations } from "../core/operation";
import { changeOwnPassword, checkPasswordChange, checkSignIn, signIn, signOut } from "./sessions-service";
import { passwordChangeBody, sessionCreateBody } from "./users.schemas";

export const sessionOperations = {
  createSession: operation({
    roles: "public",
    writes: "transaction",
    status: 201,
    body: sessionCreateBody,
    prepare: (ctx, { body }) => checkSignIn(ctx, body),
    run: (ctx, { prepared }) => signIn(ctx, prepared),
  }),

  deleteCurrentSession: operation({
    roles: "any",
    writes: "transaction",
    allowBeforePasswordChange: true,
    run: (ctx) => signOut(ctx),
  }),

  changeOwnPassword: operation({
    roles: "any",
    writes: "transaction",
    allowBeforePasswordChange: true,
    body: passwordChangeBody,
    prepare: (ctx, { body }) => checkPasswordChange(ctx, body),
    run: (ctx, { prepared }) => changeOwnPassword(ctx, prepared),
  }),
} satisfies FeatureOperations<"createSession" | "deleteCurrentSession" | "changeOwnPassword">;
