import type { Knex } from "knex";
import type { ReadContext } from "../core/operation";
import { assertCourtAccess } from "../core/court-scope";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { validationFailed } from "../core/errors";
import { GENESIS_HASH, hashOfStoredEvent, SYSTEM_CHAIN, type AuditEventRow } from "./audit-store";

export function toAuditEvent(r: AuditEventRow): Schemas["AuditEvent"] {
  return {
    seq: r.seq,
    chainSeq: r.chain_seq,
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

type Verification = Schemas["AuditVerification"];
type ChainResult = { ok: true; events: bigint; head: string } | { ok: false; brokenAt: string; seq?: string; events: bigint };

/**
 * Verifies the audit trail (docs/adr/0003-audit-chain-per-court.md): the v1 global chain, the
 * prefix that every court's chain continues, then each chain on its own. With `courtId` only
 * that court's chain is walked (its first link must be the frozen v1 head). Without it, an admin
 * verifies everything and an inspector the prefix, the system chain and her courts' chains.
 * `brokenAt` is the position in the named chain where content, link or position first fails.
 */
export async function verifyAuditTrail(ctx: ReadContext, q: { courtId?: string }): Promise<Verification> {
  const { db: knex, actor } = ctx;
  if (q.courtId) {
    if (!actor.roles.includes("admin")) assertCourtAccess(actor, q.courtId, "The court");
    const v1 = await v1Head(knex);
    const r = await verifyChain(knex, q.courtId, v1.hash);
    return r.ok ? { ok: true, events: r.events.toString(), head: r.head, chains: [summary(q.courtId, r)] } : broken(q.courtId, r);
  }
  return verifyAll(knex, actor.roles.includes("admin") ? null : actor.courtIds);
}

/** Everything (courtIds null) or the prefix, the system chain and the given courts' chains. */
export async function verifyAll(knex: Knex, courtIds: string[] | null): Promise<Verification> {
  const prefix = await verifyV1Prefix(knex);
  if (!prefix.ok) return broken("global", prefix);
  let events = prefix.events;
  const q = knex("audit_heads").orderBy("chain").select<{ chain: string }[]>("chain");
  if (courtIds) q.whereIn("chain", [SYSTEM_CHAIN, ...courtIds]);
  const chains: NonNullable<Extract<Verification, { ok: true }>["chains"]> = [];
  for (const { chain } of await q) {
    const r = await verifyChain(knex, chain, prefix.head);
    if (!r.ok) return broken(chain, r);
    events += r.events;
    chains.push(summary(chain, r));
  }
  // Events of a chain that has no head were written behind the application's back.
  const orphan = await knex("audit_events").whereNotNull("chain").whereNotIn("chain", knex("audit_heads").select("chain")).modify((b) => {
    if (courtIds) b.whereIn("chain", [SYSTEM_CHAIN, ...courtIds]);
  }).orderBy("seq").first<{ chain: string; chain_seq: string; seq: string } | undefined>("chain", "chain_seq", "seq");
  if (orphan) return { ok: false, chain: orphan.chain, brokenAt: orphan.chain_seq, seq: orphan.seq, events: events.toString() };
  return { ok: true, events: events.toString(), head: prefix.head, chains };
}

function summary(chain: string, r: Extract<ChainResult, { ok: true }>) {
  return { chain, courtId: chain === SYSTEM_CHAIN ? null : chain, events: r.events.toString(), head: r.head };
}

function broken(chain: string, r: Extract<ChainResult, { ok: false }>): Verification {
  return { ok: false, chain, brokenAt: r.brokenAt, ...(r.seq ? { seq: r.seq } : {}), events: r.events.toString() };
}

async function v1Head(knex: Knex): Promise<{ seq: string; hash: string }> {
  return knex("audit_head").where({ id: 1 }).first<{ seq: string; hash: string }>("seq", "hash");
}

/** The v1 global chain: seq 1, 2, … with no gap, ending at the frozen `audit_head`. */
async function verifyV1Prefix(knex: Knex): Promise<ChainResult> {
  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
  let count = 0n;
  for (;;) {
    const rows = await knex<AuditEventRow>("audit_events").whereNull("chain").where("seq", ">=", expectedSeq.toString()).orderBy("seq").limit(BATCH);
    for (const r of rows) {
      const recomputed = hashOfStoredEvent(r);
      if (BigInt(r.seq) !== expectedSeq || r.prev_hash !== prevHash || r.hash !== recomputed) {
        const at = BigInt(r.seq) !== expectedSeq ? expectedSeq.toString() : r.seq;
        return { ok: false, brokenAt: at, seq: at, events: count };
      }
      prevHash = r.hash;
      expectedSeq += 1n;
      count += 1n;
    }
    if (rows.length < BATCH) break;
  }
  const head = await v1Head(knex);
  if (head.seq !== count.toString() || head.hash !== prevHash) {
    // Events were removed from the end, or the head was moved: the chain no longer reaches it.
    return { ok: false, brokenAt: (count + 1n).toString(), events: count };
  }
  return { ok: true, events: count, head: prevHash };
}

/** One court's (or the system's) chain: chain_seq 1, 2, … linked from `genesis` to its head. */
async function verifyChain(knex: Knex, chain: string, genesis: string): Promise<ChainResult> {
  let expected = 1n;
  let prevHash = genesis;
  for (;;) {
    const rows = await knex<AuditEventRow>("audit_events").where("chain", chain).where("chain_seq", ">=", expected.toString()).orderBy("chain_seq").limit(BATCH);
    for (const r of rows) {
      if (BigInt(r.chain_seq as string) !== expected) return { ok: false, brokenAt: expected.toString(), seq: r.seq, events: expected - 1n };
      if (r.prev_hash !== prevHash || r.hash !== hashOfStoredEvent(r)) return { ok: false, brokenAt: expected.toString(), seq: r.seq, events: expected - 1n };
      prevHash = r.hash;
      expected += 1n;
    }
    if (rows.length < BATCH) break;
  }
  const count = expected - 1n;
  const head = await knex("audit_heads").where({ chain }).first<{ seq: string; hash: string } | undefined>("seq", "hash");
  const headSeq = head?.seq ?? "0";
  const headHash = head?.hash ?? genesis;
  if (headSeq !== count.toString() || headHash !== prevHash) {
    return { ok: false, brokenAt: (count + 1n).toString(), events: count };
  }
  return { ok: true, events: count, head: prevHash };
}

/** The head of one court's chain now: what a printed report or a proof pack cites. */
export async function courtChainHead(knex: Knex, courtId: string): Promise<{ events: string; head: string }> {
  const head = await knex("audit_heads").where({ chain: courtId }).first<{ seq: string; hash: string } | undefined>("seq", "hash");
  if (head) return { events: head.seq, head: head.hash };
  return { events: "0", head: (await v1Head(knex)).hash };
}
