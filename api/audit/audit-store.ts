import crypto from "node:crypto";
import type { Knex } from "knex";
import { canonicalJson } from "../core/canonical-json";

export interface AuditInput {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  courtId: string | null;
  requestId: string | null;
  data: Record<string, unknown>;
}

export interface AuditEventRow {
  seq: string;
  at: Date;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  court_id: string | null;
  request_id: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export const GENESIS_HASH = "0".repeat(64);

export function hashEvent(e: {
  seq: string;
  at: Date;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  courtId: string | null;
  requestId: string | null;
  data: unknown;
  prevHash: string;
}): string {
  const content = canonicalJson({
    seq: e.seq,
    at: e.at.toISOString(),
    actorId: e.actorId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    courtId: e.courtId,
    requestId: e.requestId,
    data: e.data,
    prevHash: e.prevHash,
  });
  return crypto.createHash("sha256").update(content, "utf8").digest("hex");
}

/**
 * Appends events to the hash chain inside the caller's transaction. The head row is locked, so
 * writers are serialised for the rest of their transaction: call this last, after the work.
 */
export async function appendAuditEvents(tx: Knex.Transaction, inputs: AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const head = await tx("audit_head").where({ id: 1 }).forUpdate().first<{ seq: string; hash: string }>("seq", "hash");
  let seq = BigInt(head.seq);
  let prevHash = head.hash;
  // Milliseconds: what a JS Date and the hash can hold exactly.
  const at = new Date();
  const rows = inputs.map((input) => {
    seq += 1n;
    const data = JSON.parse(JSON.stringify(input.data)) as Record<string, unknown>;
    const hash = hashEvent({ ...input, seq: seq.toString(), at, data, prevHash });
    const row = {
      seq: seq.toString(),
      at,
      actor_id: input.actorId,
      action: input.action,
      entity_type: input.entityType,
      entity_id: input.entityId,
      court_id: input.courtId,
      request_id: input.requestId,
      data: JSON.stringify(data),
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += 1000) {
    await tx("audit_events").insert(rows.slice(i, i + 1000));
  }
  await tx("audit_head").where({ id: 1 }).update({ seq: seq.toString(), hash: prevHash });
}

export async function appendAuditEvent(tx: Knex.Transaction, input: AuditInput): Promise<void> {
  await appendAuditEvents(tx, [input]);
}

/** The hash a stored event must carry, recomputed from its columns. */
export function hashOfStoredEvent(r: AuditEventRow): string {
  return hashEvent({
    seq: r.seq,
    at: r.at,
    actorId: r.actor_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    courtId: r.court_id,
    requestId: r.request_id,
    data: r.data,
    prevHash: r.prev_hash,
  });
}
