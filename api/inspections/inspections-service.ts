import crypto from "node:crypto";
import type { Knex } from "knex";
import type { Actor } from "../core/actor";
import { assertCourtAccess, courtsInScope } from "../core/court-scope";
import { notFound } from "../core/errors";
import type { ReadContext, WriteContext } from "../core/operation";
import type { Schemas } from "../core/schemas";
import type { InspectionCreateInput } from "./inspections.schemas";
import { inspectionsStore, type InspectionRow } from "./inspections-store";

export function toInspection(i: InspectionRow): Schemas["Inspection"] {
  return { id: i.id, courtId: i.court_id, name: i.name, from: i.from_on, to: i.to_on, createdAt: i.created_at.toISOString(), createdBy: i.created_by };
}

/** An inspection of one of the actor's courts; another court's answers 404 as a missing one. */
export async function loadInspection(knex: Knex, actor: Actor, id: string): Promise<InspectionRow> {
  const i = await inspectionsStore.findInspection(knex, id);
  if (!i) throw notFound("The inspection");
  assertCourtAccess(actor, i.court_id, "The inspection");
  return i;
}

export async function createInspection(ctx: WriteContext, input: InspectionCreateInput): Promise<Schemas["Inspection"]> {
  assertCourtAccess(ctx.actor, input.courtId, "The court");
  const row = await inspectionsStore.insertInspection(ctx.db, {
    id: crypto.randomUUID(),
    court_id: input.courtId,
    name: input.name,
    from_on: input.from,
    to_on: input.to,
    created_by: ctx.actor.id,
  });
  ctx.audit.record({ action: "inspection.created", entityType: "inspection", entityId: row.id, courtId: row.court_id, data: { after: { name: row.name, from: row.from_on, to: row.to_on } } });
  return toInspection(row);
}

export async function listInspections(ctx: ReadContext, courtId: string | undefined): Promise<{ data: Schemas["Inspection"][] }> {
  const rows = await inspectionsStore.listInspections(ctx.db, courtsInScope(ctx.actor, courtId));
  return { data: rows.map(toInspection) };
}
