import crypto from "node:crypto";
import { addYears } from "../core/dates";
import { invalidState, notFound, validationFailed } from "../core/errors";
import type { ReadContext, WriteContext } from "../core/operation";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import { reply, type Reply } from "../core/reply";
import type { Schemas } from "../core/schemas";
import { hashToken, newToken } from "../core/tokens";
import { sessionsStore, type ApiTokenRow } from "./sessions-store";
import type { ApiTokenCreateInput } from "./users.schemas";
import { adminScope } from "./users-service";
import { usersStore } from "./users-store";

function toApiToken(r: ApiTokenRow): Schemas["ApiToken"] {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    expiresOn: r.expires_on,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    revokedAt: r.revoked_at?.toISOString() ?? null,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  };
}

async function managedUser(ctx: ReadContext | WriteContext, userId: string) {
  const user = await usersStore.find(ctx.db, userId);
  const scope = adminScope(ctx.actor);
  if (!user || (scope && !user.court_ids.some((c) => scope.includes(c)))) throw notFound("The user");
  return user;
}

/** A token for another system, acting as a user, for at most a year; shown once, stored as its hash. */
export async function createApiToken(ctx: WriteContext, input: ApiTokenCreateInput): Promise<Schemas["ApiTokenWithSecret"]> {
  const user = await managedUser(ctx, input.userId);
  if (input.expiresOn < ctx.today || input.expiresOn > addYears(ctx.today, 1)) {
    throw validationFailed([{ path: "body.expiresOn", message: `must lie between today and ${addYears(ctx.today, 1)} (at most one year)` }]);
  }
  const token = newToken();
  const row = await sessionsStore.insertApiToken(ctx.db, { id: crypto.randomUUID(), user_id: user.id, name: input.name, token_hash: hashToken(token), expires_on: input.expiresOn, created_by: ctx.actor.id });
  ctx.audit.record({ action: "api_token.created", entityType: "api_token", entityId: row.id, courtId: null, data: { userId: user.id, username: user.username, name: input.name, expiresOn: input.expiresOn } });
  return { ...toApiToken(row), token };
}

export async function listApiTokens(ctx: ReadContext, q: { userId?: string; limit: number; cursor?: string }): Promise<Page<Schemas["ApiToken"]>> {
  if (q.userId) await managedUser(ctx, q.userId);
  const scope = adminScope(ctx.actor);
  const userIds = scope ? (await usersStore.list(ctx.db, { courtIds: scope, after: null, limit: 100_000 })).map((u) => u.id) : null;
  const rows = await sessionsStore.listApiTokens(ctx.db, { userIds, userId: q.userId, after: decodeCursor(q.cursor, ["timestamp", "uuid"]), limit: q.limit });
  return toPage(rows, q.limit, (r) => [r.cursor_at, r.id], toApiToken);
}

export async function revokeApiToken(ctx: WriteContext, id: string): Promise<Reply> {
  const row = await sessionsStore.lockApiToken(ctx.db, id);
  if (!row) throw notFound("The API token");
  await managedUser(ctx, row.user_id).catch(() => {
    throw notFound("The API token");
  });
  if (row.revoked_at) throw invalidState("The API token is already revoked");
  await sessionsStore.revokeApiToken(ctx.db, id, ctx.actor.id);
  ctx.audit.record({ action: "api_token.revoked", entityType: "api_token", entityId: id, courtId: null, data: { userId: row.user_id, name: row.name } });
  return reply.empty(204);
}
