import crypto from "node:crypto";
import { AppError, invalidState, validationFailed } from "../core/errors";
import type { PublicContext, ReadContext, WriteContext } from "../core/operation";
import { reply, type Reply } from "../core/reply";
import type { Schemas } from "../core/schemas";
import { hashToken } from "../core/tokens";
import { hashPassword, passwordProblems, verifyPassword } from "./passwords";
import { sessionsStore } from "./sessions-store";
import { toUser } from "./users-service";
import { usersStore } from "./users-store";

/** Brute force: so many failures within the window lock the username, or the client address, out. */
export const SIGN_IN_LIMITS = { windowMinutes: 15, perUsername: 5, perClient: 20 } as const;

export interface SignInCheck {
  usernameKey: string;
  userId: string | null;
  verified: boolean;
}

/**
 * The slow half of a sign-in, before any lock: the password against the user's hash, or against
 * a dummy hash when the username is unknown, so that both take the same time.
 */
export async function checkSignIn(ctx: PublicContext<"none">, input: { username: string; password: string }): Promise<SignInCheck> {
  const usernameKey = input.username.toLowerCase();
  const user = await usersStore.findByUsername(ctx.db, usernameKey);
  const verified = await verifyPassword(input.password, user?.password_hash ?? null, ctx.config.passwordScryptCost);
  return { usernameKey, userId: user?.id ?? null, verified };
}

const retryAfter = (clearsAt: Date | null, now: Date) => Math.max(1, Math.ceil(((clearsAt?.getTime() ?? now.getTime()) - now.getTime()) / 1000));

/**
 * The decision, under a lock per username and per client address so that racing attempts count
 * exactly. A refusal still commits: the failure is counted and audited (never the password).
 */
export async function signIn(ctx: PublicContext<"transaction">, check: SignInCheck): Promise<Schemas["Session"] | Reply> {
  const ip = ctx.client.ip;
  await sessionsStore.lockAttempts(ctx.db, check.usernameKey, ip);
  const byName = await sessionsStore.usernameFailures(ctx.db, check.usernameKey, SIGN_IN_LIMITS.windowMinutes, SIGN_IN_LIMITS.perUsername);
  const byClient = await sessionsStore.clientFailures(ctx.db, ip, SIGN_IN_LIMITS.windowMinutes, SIGN_IN_LIMITS.perClient);
  const blockedBy = byName.failures >= SIGN_IN_LIMITS.perUsername ? byName : byClient.failures >= SIGN_IN_LIMITS.perClient ? byClient : null;
  if (blockedBy) {
    const seconds = retryAfter(blockedBy.clearsAt, ctx.now);
    ctx.audit.record({ action: "session.sign_in_blocked", entityType: "sign_in", entityId: check.usernameKey, courtId: null, data: { username: check.usernameKey, clientIp: ip, by: blockedBy === byName ? "username" : "client", retryAfterSeconds: seconds } });
    return reply.refusal(new AppError("too_many_attempts", `Too many failed sign-ins: try again in ${seconds} s`, { retryAfterSeconds: seconds }));
  }
  const user = check.userId ? await usersStore.find(ctx.db, check.userId) : undefined;
  if (!check.verified || !user || !user.active) {
    await sessionsStore.recordAttempt(ctx.db, { usernameKey: check.usernameKey, clientIp: ip, succeeded: false });
    ctx.audit.record({ action: "session.sign_in_failed", entityType: "sign_in", entityId: check.usernameKey, courtId: null, data: { username: check.usernameKey, clientIp: ip } });
    return reply.refusal(new AppError("invalid_credentials", "The username or the password is wrong"));
  }
  await sessionsStore.recordAttempt(ctx.db, { usernameKey: check.usernameKey, clientIp: ip, succeeded: true });
  const token = "cefs_" + crypto.randomBytes(32).toString("base64url");
  const session = await sessionsStore.insertSession(ctx.db, {
    id: crypto.randomUUID(),
    user_id: user.id,
    token_hash: hashToken(token),
    expires_at: new Date(ctx.now.getTime() + ctx.config.session.maxHours * 3_600_000),
    client_ip: ip,
  });
  ctx.audit.record({ action: "session.signed_in", entityType: "user", entityId: user.id, courtId: null, data: { username: user.username, sessionId: session.id, clientIp: ip } });
  return { token, expiresAt: session.expires_at.toISOString(), user: toUser(user), mustChangePassword: user.must_change_password };
}

export async function signOut(ctx: WriteContext): Promise<Reply> {
  const credential = ctx.actor.credential;
  if (credential?.kind !== "session") throw invalidState("This is an API token, not a session: an admin revokes it with DELETE /v1/api-tokens/{id}");
  await sessionsStore.endSession(ctx.db, credential.id, "signed_out");
  ctx.audit.record({ action: "session.signed_out", entityType: "user", entityId: ctx.actor.id, courtId: null, data: { sessionId: credential.id } });
  return reply.empty(204);
}

export interface PasswordChangeCheck {
  currentOk: boolean;
  problems: { path: string; message: string }[];
  newHash: string | null;
}

/** The slow half of a password change, before any lock: check the current password, hash the new one. */
export async function checkPasswordChange(ctx: ReadContext, input: { currentPassword: string; newPassword: string }): Promise<PasswordChangeCheck> {
  const user = await usersStore.find(ctx.db, ctx.actor.id);
  const currentOk = await verifyPassword(input.currentPassword, user?.password_hash ?? null, ctx.config.passwordScryptCost);
  if (!currentOk || !user) return { currentOk: false, problems: [], newHash: null };
  const problems = passwordProblems(input.newPassword, user.username);
  if (input.newPassword === input.currentPassword) problems.push({ path: "body.newPassword", message: "must differ from the current password" });
  return { currentOk, problems, newHash: problems.length === 0 ? await hashPassword(input.newPassword, ctx.config.passwordScryptCost) : null };
}

/** The new password takes effect; every other session of the user ends (this one goes on). */
export async function changeOwnPassword(ctx: WriteContext, check: PasswordChangeCheck): Promise<Reply> {
  if (!check.currentOk) throw validationFailed([{ path: "body.currentPassword", message: "is not your current password" }], "The current password is wrong");
  if (check.problems.length > 0 || !check.newHash) throw validationFailed(check.problems, "The new password is not allowed: see errors");
  const user = await usersStore.lock(ctx.db, ctx.actor.id);
  if (!user) throw new AppError("unauthorized", "The user is gone");
  await usersStore.update(ctx.db, user.id, { password_hash: check.newHash, must_change_password: false, password_changed_at: new Date() });
  const keep = ctx.actor.credential?.kind === "session" ? ctx.actor.credential.id : undefined;
  const ended = await sessionsStore.endUserSessions(ctx.db, user.id, "password_changed", keep);
  ctx.audit.record({ action: "user.password_changed", entityType: "user", entityId: user.id, courtId: null, data: { username: user.username, otherSessionsEnded: ended, wasOneTime: user.must_change_password } });
  return reply.empty(204);
}
