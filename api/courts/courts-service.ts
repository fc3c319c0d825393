import crypto from "node:crypto";
import type { Knex } from "knex";
import type { ReadContext, WriteContext } from "../core/operation";
import { conflict } from "../core/errors";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { courtsStore, type CourtRow } from "./courts-store";

export function toCourt(row: CourtRow): Schemas["Court"] {
  return { id: row.id, code: row.code, name: row.name, createdAt: row.created_at.toISOString() };
}

export async function createCourt(ctx: WriteContext, input: { code: string; name: string }): Promise<Schemas["Court"]> {
  const row = await courtsStore.insert(ctx.db, { id: crypto.randomUUID(), code: input.code, name: input.name });
  if (!row) throw conflict(`A court with code ${input.code} already exists`);
  ctx.audit.record({
    action: "court.created",
    entityType: "court",
    entityId: row.id,
    courtId: row.id,
    data: { code: row.code, name: row.name },
  });
  return toCourt(row);
}

export async function listCourts(ctx: ReadContext, query: { limit: number; cursor?: string }): Promise<Page<Schemas["Court"]>> {
  const rows = await courtsStore.list(ctx.db, {
    courtIds: ctx.actor.roles.includes("admin") ? null : ctx.actor.courtIds,
    after: decodeCursor(query.cursor, ["text", "uuid"]),
    limit: query.limit,
  });
  return toPage(rows, query.limit, (r) => [r.code, r.id], toCourt);
}

/** Which of these court ids exist. */
export async function existingCourtIds(knex: Knex, ids: string[]): Promise<string[]> {
  return courtsStore.existingIds(knex, ids);
}
