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
  /** NULL for the v1 global chain, the prefix of every court's chain. */
  chain: string | null;
  chain_seq: string | null;
}

export const GENESIS_HASH = "0".repeat(64);

/** The v1 hash, of the events of the global chain that every court's chain now continues. */
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

/** The chain an event belongs to: its court's, or the `system` chain for events of no court. */
export function chainOf(courtId: string | null): string {
  return courtId ?? SYSTEM_CHAIN;
}

export const SYSTEM_CHAIN = "system";

/**
 * What the application hashes of a chained event: everything it says, in canonical form. The
 * database then links it: hash = sha256(prevHash | chainSeq | this digest) (audit_append, in
 * db/migrations/20261201_0570_audit_chains.ts), which chainedHash below recomputes.
 */
export function bodyDigest(e: {
  at: Date;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  courtId: string | null;
  requestId: string | null;
  data: unknown;
  chain: string;
}): string {
  const content = canonicalJson({
    v: 2,
    chain: e.chain,
    at: e.at.toISOString(),
    actorId: e.actorId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    courtId: e.courtId,
    requestId: e.requestId,
    data: e.data,
  });
  return crypto.createHash("sha256").update(content, "utf8").digest("hex");
}

export function chainedHash(prevHash: string, chainSeq: string, digest: string): string {
  return crypto.createHash("sha256").update(`${prevHash}|${chainSeq}|${digest}`, "utf8").digest("hex");
}

/**
 * The statements that append events to their courts' chains: one call of `audit_append` per
 * chain, which locks that chain's head, inserts the events and moves the head. The head stays
 * locked until commit, so they must be the transaction's last work (docs/adr/0002-audit-last.md);
 * chains come in a fixed order so two writers cannot deadlock.
 */
export function auditAppendStatements(inputs: AuditInput[]): { sql: string; bindings: string[] }[] {
  // Milliseconds: what a JS Date and the hash can hold exactly.
  const at = new Date();
  const byChain = new Map<string, Record<string, unknown>[]>();
  for (const input of inputs) {
    const chain = chainOf(input.courtId);
    const data = JSON.parse(JSON.stringify(input.data)) as Record<string, unknown>;
    const row = {
      at: at.toISOString(),
      actor_id: input.actorId,
      action: input.action,
      entity_type: input.entityType,
      entity_id: input.entityId,
      court_id: input.courtId,
      request_id: input.requestId,
      data,
      digest: bodyDigest({ ...input, at, data, chain }),
    };
    const rows = byChain.get(chain) ?? [];
    rows.push(row);
    byChain.set(chain, rows);
  }
  return [...byChain.keys()].sort().map((chain) => ({ sql: "SELECT audit_append(?, ?::jsonb) AS head_seq", bindings: [chain, JSON.stringify(byChain.get(chain))] }));
}

/** Appends events at once, inside the caller's transaction (the runner sends them with COMMIT instead). */
export async function appendAuditEvents(tx: Knex.Transaction, inputs: AuditInput[]): Promise<void> {
  for (const { sql, bindings } of auditAppendStatements(inputs)) await tx.raw(sql, bindings);
}

export function hashOfStoredEvent(r: AuditEventRow): string {
  if (r.chain !== null && r.chain_seq !== null) {
    const digest = bodyDigest({
      at: r.at,
      actorId: r.actor_id,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      courtId: r.court_id,
      requestId: r.request_id,
      data: r.data,
      chain: r.chain,
    });
    return chainedHash(r.prev_hash, r.chain_seq, digest);
  }
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
