import crypto from "node:crypto";
import type { Knex } from "knex";
import { withTransaction } from "../../db/transaction";
import { appendAuditEvent } from "../audit/audit-store";
import { courtsStore } from "../courts/courts-store";
import type { Actor, Role } from "../core/actor";
import { validationFailed } from "../core/errors";
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
  tx: Knex.Transaction,
  ctx: { actor: Actor | null; requestId: string | null },
  input: { name: string; roles: Role[]; courtIds: string[]; token?: string },
): Promise<Schemas["UserWithToken"]> {
  const known = new Set(await courtsStore.existingIds(tx, input.courtIds));
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
  await appendAuditEvent(tx, {
    actorId: ctx.actor?.id ?? null,
    action: "user.created",
    entityType: "user",
    entityId: row.id,
    courtId: null,
    requestId: ctx.requestId,
    data: { name: row.name, roles: row.roles, courtIds: input.courtIds },
  });
  return { ...toUser(row, input.courtIds), token };
}

/** BOOTSTRAP_ADMIN_TOKEN creates the first admin, once: never when any admin exists. */
export async function bootstrapAdmin(knex: Knex, token: string): Promise<boolean> {
  return withTransaction(knex, async (tx) => {
    await tx.raw("SELECT pg_advisory_xact_lock(hashtextextended('bootstrap-admin', 0))");
    if (await usersStore.anyAdminExists(tx)) return false;
    await createUser(tx, { actor: null, requestId: null }, { name: "Administrator", roles: ["admin"], courtIds: [], token });
    return true;
  });
}

export async function getUserCreatedAt(knex: Knex, id: string): Promise<Date> {
  const row = await usersStore.findById(knex, id);
  return row?.created_at ?? new Date(0);
}
