import crypto from "node:crypto";
import type { Knex } from "knex";
import { existingCourtIds } from "../courts/courts-service";
import type { Actor, Role } from "../core/actor";
import { validationFailed } from "../core/errors";
import type { ReadContext, SystemContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import { hashToken, newToken } from "../core/tokens";
import { usersStore, type UserRow } from "./users-store";

function toUser(row: UserRow, courtIds: string[]): Schemas["User"] {
  return { id: row.id, name: row.name, roles: row.roles, courtIds: [...courtIds].sort(), createdAt: row.created_at.toISOString() };
}

export function actorToUser(actor: Actor, createdAt: Date): Schemas["User"] {
  return toUser({ id: actor.id, name: actor.name, roles: actor.roles, created_at: createdAt }, actor.courtIds);
}

export async function createUser(
  ctx: SystemContext,
  input: { name: string; roles: Role[]; courtIds: string[]; token?: string },
): Promise<Schemas["UserWithToken"]> {
  const tx = ctx.db;
  const known = new Set(await existingCourtIds(tx, input.courtIds));
  const unknown = input.courtIds.map((id, i) => ({ id, i })).filter(({ id }) => !known.has(id));
  if (unknown.length > 0) {
    throw validationFailed(unknown.map(({ i }) => ({ path: `body.courtIds.${i}`, message: "no such court" })));
  }
  const token = input.token ?? newToken();
  const row = await usersStore.insert(tx, {
    id: crypto.randomUUID(),
    name: input.name,
    roles: input.roles,
    tokenHash: hashToken(token),
    createdBy: ctx.actor?.id ?? null,
    courtIds: input.courtIds,
  });
  ctx.audit.record({
    action: "user.created",
    entityType: "user",
    entityId: row.id,
    courtId: null,
    data: { name: row.name, roles: row.roles, courtIds: input.courtIds },
  });
  return { ...toUser(row, input.courtIds), token };
}

/** BOOTSTRAP_ADMIN_TOKEN creates the first admin, once: never when any admin exists. */
export async function bootstrapAdmin(ctx: SystemContext, token: string): Promise<boolean> {
  await ctx.db.raw("SELECT pg_advisory_xact_lock(hashtextextended('bootstrap-admin', 0))");
  if (await usersStore.anyAdminExists(ctx.db)) return false;
  await createUser(ctx, { name: "Administrator", roles: ["admin"], courtIds: [], token });
  return true;
}

export async function getCurrentUser(ctx: ReadContext): Promise<Schemas["User"]> {
  return actorToUser(ctx.actor, await getUserCreatedAt(ctx.db, ctx.actor.id));
}

export async function getUserCreatedAt(knex: Knex, id: string): Promise<Date> {
  const row = await usersStore.findById(knex, id);
  return row?.created_at ?? new Date(0);
}

/** The user a bearer token belongs to, or null. */
export async function actorForToken(knex: Knex, token: string): Promise<Actor | null> {
  return usersStore.actorByTokenHash(knex, hashToken(token));
}
