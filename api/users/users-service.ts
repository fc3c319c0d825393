import crypto from "node:crypto";
import type { Knex } from "knex";
import { existingCourtIds } from "../courts/courts-service";
import type { Actor, Credential, Role } from "../core/actor";
import { conflict, invalidState, notFound, validationFailed } from "../core/errors";
import type { ReadContext, SystemContext, WriteContext } from "../core/operation";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { hashToken, newToken } from "../core/tokens";
import { hashPassword, oneTimePassword } from "./passwords";
import { sessionsStore } from "./sessions-store";
import type { UserCreateInput, UserListQuery, UserUpdateInput } from "./users.schemas";
import { credentialCheckColumns, usersStore, type UserWithCourts } from "./users-store";

export function toUser(row: UserWithCourts): Schemas["User"] {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    active: row.active,
    roles: row.roles,
    courtIds: [...row.court_ids].sort(),
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * The users an admin administers: those of the admin's courts; an admin of no court (the first
 * admin, a system administrator) administers every court and every user. null means all.
 */
export function adminScope(actor: Actor): string[] | null {
  return actor.courtIds.length === 0 ? null : actor.courtIds;
}

function inScope(scope: string[] | null, user: { court_ids: string[] }): boolean {
  return scope === null || user.court_ids.some((c) => scope.includes(c));
}

async function loadManagedUser(ctx: ReadContext | WriteContext, id: string, opts: { lock?: boolean } = {}): Promise<UserWithCourts> {
  const user = opts.lock ? await usersStore.lock(ctx.db as Knex.Transaction, id) : await usersStore.find(ctx.db, id);
  if (!user || !inScope(adminScope(ctx.actor), user)) throw notFound("The user");
  return user;
}

/** Courts an admin may give: they exist, and are the admin's own unless the admin has none. */
async function checkCourts(ctx: SystemContext, courtIds: string[]): Promise<void> {
  const scope = ctx.actor ? adminScope(ctx.actor) : null;
  const outside = scope ? courtIds.findIndex((c) => !scope.includes(c)) : -1;
  if (outside >= 0) throw notFound("The court");
  const known = new Set(await existingCourtIds(ctx.db, courtIds));
  const unknown = courtIds.map((id, i) => ({ id, i })).filter(({ id }) => !known.has(id));
  if (unknown.length > 0) throw validationFailed(unknown.map(({ i }) => ({ path: `body.courtIds.${i}`, message: "no such court" })));
}

/** A one-time password and its hash, made before the transaction (hashing is slow on purpose). */
export interface PreparedPassword {
  password: string;
  hash: string;
}

export async function prepareOneTimePassword(costLog2: number): Promise<PreparedPassword> {
  const password = oneTimePassword();
  return { password, hash: await hashPassword(password, costLog2) };
}

const generatedUsername = (id: string) => `user-${id.replace(/-/g, "").slice(0, 12)}`;

/**
 * With a username: a one-time password the user must change at first sign-in. Without (the v1
 * form): a generated username and an API token, as v1 did. `token` lets the bootstrap choose it.
 */
export async function createUser(
  ctx: SystemContext,
  input: UserCreateInput & { token?: string; password?: { hash: string; mustChange: boolean } },
  oneTime?: PreparedPassword,
): Promise<Schemas["UserWithToken"]> {
  await checkCourts(ctx, input.courtIds);
  const id = crypto.randomUUID();
  const username = input.username ?? generatedUsername(id);
  const passwordHash = input.password?.hash ?? (input.username ? oneTime?.hash : undefined) ?? null;
  const row = await usersStore.insert(ctx.db, {
    id,
    username,
    name: input.name,
    roles: input.roles,
    passwordHash,
    mustChangePassword: input.password ? input.password.mustChange : Boolean(input.username && oneTime),
    createdBy: ctx.actor?.id ?? null,
    courtIds: input.courtIds,
  });
  if (!row) throw conflict(`The username ${username} is taken`);
  const token = input.username && !input.token ? undefined : (input.token ?? newToken());
  if (token) {
    await sessionsStore.insertApiToken(ctx.db, { id: crypto.randomUUID(), user_id: id, name: "v1 token", token_hash: hashToken(token), expires_on: null, created_by: ctx.actor?.id ?? null });
  }
  ctx.audit.record({
    action: "user.created",
    entityType: "user",
    entityId: id,
    courtId: null,
    data: { username, name: row.name, roles: row.roles, courtIds: input.courtIds, signsInWith: [...(passwordHash ? ["password"] : []), ...(token ? ["api_token"] : [])] },
  });
  const user = toUser({ ...row, court_ids: input.courtIds });
  return { ...user, ...(passwordHash && oneTime && !input.password ? { initialPassword: oneTime.password } : {}), ...(token ? { token } : {}) };
}

/**
 * The first admin, once, while no admin exists: BOOTSTRAP_ADMIN_TOKEN gives it a token,
 * BOOTSTRAP_ADMIN_PASSWORD a username and password (chosen by the operator, so not one-time).
 */
export async function bootstrapAdmin(ctx: SystemContext, opts: { token?: string; username: string; passwordHash?: string }): Promise<boolean> {
  await ctx.db.raw("SELECT pg_advisory_xact_lock(hashtextextended('bootstrap-admin', 0))");
  if (await usersStore.anyAdminExists(ctx.db)) return false;
  await createUser(ctx, {
    name: "Administrator",
    roles: ["admin"],
    courtIds: [],
    ...(opts.passwordHash ? { username: opts.username, password: { hash: opts.passwordHash, mustChange: false } } : {}),
    ...(opts.token ? { token: opts.token } : {}),
  });
  return true;
}

export async function getCurrentUser(ctx: ReadContext): Promise<Schemas["User"]> {
  const row = await usersStore.find(ctx.db, ctx.actor.id);
  if (!row) throw notFound("The user");
  return toUser(row);
}

export async function getUser(ctx: ReadContext, id: string): Promise<Schemas["User"]> {
  return toUser(await loadManagedUser(ctx, id));
}

export async function listUsers(ctx: ReadContext, q: UserListQuery): Promise<Page<Schemas["User"]>> {
  const scope = adminScope(ctx.actor);
  if (q.courtId && scope && !scope.includes(q.courtId)) throw notFound("The court");
  const rows = await usersStore.list(ctx.db, {
    courtIds: q.courtId ? [q.courtId] : scope,
    role: q.role,
    active: q.active,
    after: decodeCursor(q.cursor, ["text", "uuid"]),
    limit: q.limit,
  });
  return toPage(rows, q.limit, (r) => [r.username, r.id], toUser);
}

/** The last active admin must stay one: whoever would leave the system without an admin is refused. */
async function keepAnAdmin(ctx: WriteContext, user: UserWithCourts, what: string): Promise<void> {
  if (!user.roles.includes("admin") || !user.active) return;
  if ((await usersStore.otherActiveAdmins(ctx.db, user.id)) === 0) throw conflict(`${user.username} is the last active admin: ${what} would leave no one to administer the system`);
}

export async function updateUser(ctx: WriteContext, id: string, input: UserUpdateInput): Promise<Schemas["User"]> {
  const user = await loadManagedUser(ctx, id, { lock: true });
  const scope = adminScope(ctx.actor);
  let courtIds = user.court_ids;
  if (input.courtIds) {
    await checkCourts(ctx, input.courtIds);
    // A court admin changes only their own courts' memberships; the user keeps any others.
    courtIds = scope ? [...new Set([...user.court_ids.filter((c) => !scope.includes(c)), ...input.courtIds])].sort() : [...input.courtIds].sort();
  }
  if (input.roles && !input.roles.includes("admin")) await keepAnAdmin(ctx, user, "taking away the admin role");
  const change = { ...(input.name ? { name: input.name } : {}), ...(input.roles ? { roles: input.roles } : {}) };
  // A change of courts alone touches no column of users (knex refuses an empty update: a 500).
  if (Object.keys(change).length > 0) await usersStore.update(ctx.db, id, change);
  if (input.courtIds) await usersStore.replaceCourts(ctx.db, id, courtIds);
  const before = { name: user.name, roles: user.roles, courtIds: [...user.court_ids].sort() };
  const after = { name: input.name ?? user.name, roles: input.roles ?? user.roles, courtIds };
  ctx.audit.record({ action: "user.updated", entityType: "user", entityId: id, courtId: null, data: { username: user.username, changed: Object.keys(input), before, after } });
  return toUser({ ...user, name: after.name, roles: after.roles as Role[], court_ids: courtIds });
}

export async function deactivateUser(ctx: WriteContext, id: string): Promise<Schemas["User"]> {
  const user = await loadManagedUser(ctx, id, { lock: true });
  if (!user.active) throw invalidState(`${user.username} is already deactivated`);
  await keepAnAdmin(ctx, user, "deactivating them");
  await usersStore.update(ctx.db, id, { active: false, deactivated_at: new Date(), deactivated_by: ctx.actor.id });
  const ended = await sessionsStore.endUserSessions(ctx.db, id, "deactivated");
  ctx.audit.record({ action: "user.deactivated", entityType: "user", entityId: id, courtId: null, data: { username: user.username, sessionsEnded: ended } });
  return toUser({ ...user, active: false });
}

export async function reactivateUser(ctx: WriteContext, id: string): Promise<Schemas["User"]> {
  const user = await loadManagedUser(ctx, id, { lock: true });
  if (user.active) throw invalidState(`${user.username} is active`);
  await usersStore.update(ctx.db, id, { active: true, deactivated_at: null, deactivated_by: null });
  ctx.audit.record({ action: "user.reactivated", entityType: "user", entityId: id, courtId: null, data: { username: user.username } });
  return toUser({ ...user, active: true });
}

export async function resetUserPassword(ctx: WriteContext, id: string, oneTime: PreparedPassword): Promise<Schemas["PasswordReset"]> {
  const user = await loadManagedUser(ctx, id, { lock: true });
  if (!user.active) throw invalidState(`${user.username} is deactivated: reactivate the user first`);
  await usersStore.update(ctx.db, id, { password_hash: oneTime.hash, must_change_password: true, password_changed_at: new Date() });
  const ended = await sessionsStore.endUserSessions(ctx.db, id, "password_reset");
  ctx.audit.record({ action: "user.password_reset", entityType: "user", entityId: id, courtId: null, data: { username: user.username, sessionsEnded: ended } });
  return { user: toUser(user), initialPassword: oneTime.password };
}

/** The user a bearer token belongs to, or null; a session seen again restarts its idle clock. */
export async function actorForToken(knex: Knex, token: string, opts: { idleMinutes: number; today: string }): Promise<Actor | null> {
  return actorForTokenHash(knex, hashToken(token), opts);
}

/** The same, by the token's SHA-256 (what the process's actor cache is keyed by): always asks the database. */
export async function actorForTokenHash(knex: Knex, tokenHash: string, opts: { idleMinutes: number; today: string }): Promise<Actor | null> {
  const found = await usersStore.actorByTokenHash(knex, tokenHash, opts);
  if (!found) return null;
  const { lastSeenAt, ...actor } = found;
  // Written at most once a minute per credential, so that a busy client costs no write per request.
  const stale = !lastSeenAt || Date.now() - lastSeenAt.getTime() > 60_000;
  if (actor.credential && stale) await touchCredential(knex, actor.credential, opts);
  return actor;
}

/** A credential used again: a session's idle clock restarts, an API token's last use is noted. */
export async function touchCredential(knex: Knex, credential: Credential, opts: { idleMinutes: number }): Promise<void> {
  if (credential.kind === "session") await usersStore.touchSession(knex, credential.id, opts.idleMinutes);
  else await usersStore.touchApiToken(knex, credential.id);
}

/**
 * The re-check a transaction's scope statement carries for a signed-in caller (docs/adr/0006):
 * SQL columns `still_valid` and `touch_due`. See usersStore's credentialCheckColumns.
 */
export function credentialCheck(actor: Actor & { credential: Credential }, opts: { idleMinutes: number; today: string }): { columns: string; bindings: unknown[] } {
  return credentialCheckColumns(actor, opts);
}
