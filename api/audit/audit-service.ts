import type { Knex } from "knex";
import type { ReadContext } from "../core/operation";
import { assertCourtAccess } from "../core/court-scope";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { validationFailed } from "../core/errors";
import { GENESIS_HASH, hashOfStoredEvent, type AuditEventRow } from "./audit-store";

export function toAuditEvent(r: AuditEventRow): Schemas["AuditEvent"] {
  return {
    seq: r.seq,
    at: r.at.toISOString(),
    actorId: r.actor_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    courtId: r.court_id,
    requestId: r.request_id,
    data: r.data,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  courtId?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** Admins read every event; an inspector reads her own courts' events only. */
export async function listAuditEvents(ctx: ReadContext, f: AuditFilter): Promise<Page<Schemas["AuditEvent"]>> {
  const { db: knex, actor } = ctx;
  const after = decodeCursor(f.cursor, ["integer"]);
  if (after && !/^[0-9]{1,18}$/.test(after[0])) throw validationFailed([{ path: "query.cursor", message: "invalid cursor" }]);
  const q = knex<AuditEventRow>("audit_events").orderBy("seq").limit(f.limit + 1);
  if (f.courtId) {
    if (!actor.roles.includes("admin")) assertCourtAccess(actor, f.courtId, "The court");
    q.where("court_id", f.courtId);
  } else if (!actor.roles.includes("admin")) {
    // Events of no court (users, sign-ins, calendars) concern every court's staff: only admins read them.
    q.whereIn("court_id", actor.courtIds);
  }
  if (f.entityType) q.where("entity_type", f.entityType);
  if (f.entityId) q.where("entity_id", f.entityId);
  if (f.actorId) q.where("actor_id", f.actorId);
  if (f.from) q.where("at", ">=", f.from);
  if (f.to) q.where("at", "<", f.to);
  if (after) q.where("seq", ">", after[0]);
  const rows = await q;
  return toPage(rows, f.limit, (r) => [r.seq], toAuditEvent);
}

const BATCH = 5000;

/**
 * Walks the whole chain in order, recomputing every hash and link. The first event whose
 * content, link or position does not match is where the chain is broken.
 */
export async function verifyAuditChain(knex: Knex): Promise<Schemas["AuditVerification"]> {
  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
  let count = 0n;
  for (;;) {
    const rows = await knex<AuditEventRow>("audit_events").where("seq", ">=", expectedSeq.toString()).orderBy("seq").limit(BATCH);
    for (const r of rows) {
      const recomputed = hashOfStoredEvent(r);
      if (BigInt(r.seq) !== expectedSeq || r.prev_hash !== prevHash || r.hash !== recomputed) {
        return { ok: false, brokenAt: BigInt(r.seq) !== expectedSeq ? expectedSeq.toString() : r.seq, events: count.toString() };
      }
      prevHash = r.hash;
      expectedSeq += 1n;
      count += 1n;
    }
    if (rows.length < BATCH) break;
  }
  const head = await knex("audit_head").where({ id: 1 }).first<{ seq: string; hash: string }>("seq", "hash");
  if (head.seq !== count.toString() || head.hash !== prevHash) {
    // Events were removed from the end, or the head was moved: the chain no longer reaches it.
    return { ok: false, brokenAt: (count + 1n).toString(), events: count.toString() };
  }
  return { ok: true, events: count.toString(), head: prevHash };
}
