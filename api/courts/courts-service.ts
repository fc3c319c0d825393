import crypto from "node:crypto";
import type { Knex } from "knex";
import { appendAuditEvent } from "../audit/audit-store";
import type { Actor } from "../core/actor";
import { conflict } from "../core/errors";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { courtsStore, type CourtRow } from "./courts-store";

export function toCourt(row: CourtRow): Schemas["Court"] {
  return { id: row.id, code: row.code, name: row.name, createdAt: row.created_at.toISOString() };
}

export async function createCourt(
  tx: Knex.Transaction,
  ctx: { actor: Actor; requestId: string },
  input: { code: string; name: string },
): Promise<Schemas["Court"]> {
  const row = await courtsStore.insert(tx, { id: crypto.randomUUID(), code: input.code, name: input.name });
  if (!row) throw conflict(`A court with code ${input.code} already exists`);
  await appendAuditEvent(tx, {
    actorId: ctx.actor.id,
    action: "court.created",
    entityType: "court",
    entityId: row.id,
    courtId: row.id,
    requestId: ctx.requestId,
    data: { code: row.code, name: row.name },
  });
  return toCourt(row);
}

export async function listCourts(knex: Knex, actor: Actor, query: { limit: number; cursor?: string }): Promise<Page<Schemas["Court"]>> {
  const rows = await courtsStore.list(knex, {
    courtIds: actor.roles.includes("admin") ? null : actor.courtIds,
    after: decodeCursor(query.cursor, 2),
    limit: query.limit,
  });
  return toPage(rows, query.limit, (r) => [r.code, r.id], toCourt);
}
