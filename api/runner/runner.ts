import assert from "node:assert/strict";
import type { Knex } from "knex";
import type { Logger } from "pino";
import { atCommit, scopedReadHandle, statementsInFlight, withTransaction, type CourtScope, type ScopeCheck } from "../../db/transaction";
import type { Config } from "../config";
import { auditAppendStatements, type AuditInput } from "../audit/audit-store";
import type { Actor } from "../core/actor";
import { todayInChina } from "../core/dates";
import { AppError, validationFailed } from "../core/errors";
import { unsafeText } from "../core/text-policy";
import type { AuditBuffer, AuditRecord, Operation, SystemContext, WriteContext } from "../core/operation";
import { isReply, type Reply } from "../core/reply";
import { bodyRequired, parseInput } from "../core/validation";
import { credentialWatch, invalidToken, sameActor, StaleCredential, type CredentialWatch, type SignedIn } from "./credential";
import { claimStatement, settleClaim, requestFingerprint, requireIdempotencyKey, storeIdempotentAnswer, type IdempotencyClaim } from "./idempotency";

/** One call of an operation, however it arrived (HTTP, the demo seed, a script). */
export interface RunRequest {
  actor: Actor | null;
  requestId: string;
  params: unknown;
  query: unknown;
  /** `undefined` when the request carried no body. */
  body: unknown;
  accept?: string;
  idempotencyKey?: string;
  /** The route template (`POST /v1/cases/:id/receipts`): idempotency keys are per route. */
  route: string;
  /** The path without its query: part of an idempotent request's fingerprint. */
  path: string;
  client?: { ip: string };
  log: Logger;
  /** The instant the request is for; defaults to now (scripts may replay history). */
  now?: Date;
  /** How a bearer token named the actor (HTTP): whether from the process's cache, and how to ask afresh. */
  signedIn?: SignedIn;
}

export interface RunResult {
  status: number;
  /** The JSON body, or a Reply for files, pages and streams. */
  body: unknown;
  replayed: boolean;
}

export interface RunnerDeps {
  knex: Knex;
  config: Config;
}

/**
 * The one place an operation runs: role → input → (idempotency claim) → one retrying
 * transaction with one context → `run` → the replay record → the buffered audit events, written
 * last → commit. Reads run outside any write transaction.
 */
export async function runOperation(deps: RunnerDeps, op: Operation, req: RunRequest): Promise<RunResult> {
  return runAs(deps, op, req, 1);
}

/**
 * A cached actor is taken on trust only until the scope statement confirms it (docs/adr/0006).
 * When it does not (a revoked token, a deactivated user, changed courts…), or when the request
 * was refused before any transaction confirmed it (a 403 computed from stale roles, a 400 for a
 * token that is no longer valid), the token is resolved afresh: no user → 401 as always; a
 * different actor → the whole operation again with that actor (prepare, role check, scope); the
 * same actor → the refusal stands.
 */
async function runAs(deps: RunnerDeps, op: Operation, req: RunRequest, attempt: number): Promise<RunResult> {
  const watch = credentialWatch(req.actor, { idleMinutes: deps.config.session.idleMinutes });
  try {
    return await runWatched(deps, op, req, watch);
  } catch (err) {
    const stale = err instanceof StaleCredential;
    const unconfirmed = req.signedIn?.cached === true && !watch.confirmed;
    if (!stale && !unconfirmed) throw err;
    if (!req.signedIn || attempt >= 2) throw invalidToken();
    const fresh = await req.signedIn.refresh();
    if (!fresh) throw invalidToken();
    if (!stale && sameActor(fresh, req.actor)) throw err;
    return runAs(deps, op, { ...req, actor: fresh, signedIn: { ...req.signedIn, cached: false } }, attempt + 1);
  } finally {
    // The idle clock: the scope statement said the credential's last use is a minute old.
    if (watch.touchDue) await watch.touch(deps.knex).catch((err: unknown) => req.log.warn({ err }, "could not note the credential's use"));
  }
}

async function runWatched(deps: RunnerDeps, op: Operation, req: RunRequest, watch: CredentialWatch): Promise<RunResult> {
  const actor = checkAccess(op, req.actor);
  refuseUnsafeText(req);
  const parsed = {
    params: parseInput(op.params, req.params ?? {}, "path"),
    query: parseInput(op.query, req.query ?? {}, "query"),
    body: parseBody(op, req.body),
    accept: req.accept,
  };
  const now = req.now ?? new Date();
  const base = { requestId: req.requestId, today: todayInChina(now), now, log: req.log, config: deps.config, client: req.client ?? { ip: "script" } };
  const run = op.run as (ctx: unknown, input: unknown) => Promise<unknown> | unknown;
  const prepare = op.prepare as ((ctx: unknown, input: unknown) => Promise<unknown>) | undefined;
  const input = { ...parsed, prepared: prepare ? await prepare({ ...base, db: deps.knex, actor }, parsed) : undefined };

  if (op.writes === "none") {
    const body = actor ? await scopedRead(deps.knex, actor, watch.check, (db) => run({ ...base, db, actor }, input)) : await run({ ...base, db: deps.knex, actor }, input);
    return answer({ status: isReply(body) ? body.status : op.status, body, replayed: false });
  }

  const claim = op.writes === "idempotent" ? idempotencyClaim(actor, req) : null;
  // An idempotent write checks its caller inside the claim's statement; any other write on its own.
  const checkActor = actor?.credential ? (tx: Knex.Transaction) => assertStillActive(tx, actor) : null;
  const scope = actor ? scopeOf(actor) : null;
  const result = await inWriteTransaction(deps.knex, { ...base, actor, requestId: req.requestId }, { claim, mustAudit: true, checkActor, scope, check: watch.check }, async (ctx) => {
    if (checkActor && !claim) await checkActor(ctx.db);
    const body = await run(ctx, input);
    if (claim && isReply(body)) throw new Error("an idempotent operation must answer JSON, so that its answer can be replayed");
    return { status: isReply(body) ? (body as Reply).status : op.status, body };
  });
  return answer(result);
}

/**
 * A signed-in user's read: one read-only snapshot under row-level security (docs/adr/0005). A
 * public read (the debtor lookup) has no user and reads what the public may see, as the owner.
 */
async function scopedRead(knex: Knex, actor: Actor, check: ScopeCheck | null, read: (db: Knex) => unknown): Promise<unknown> {
  const scope = scopeOf(actor);
  let detach = () => {};
  const body = await withTransaction(
    knex,
    async (tx) => {
      const handle = scopedReadHandle(knex, tx, scope);
      detach = handle.detach;
      return read(handle.db);
    },
    { readOnlySnapshot: true, scope, check },
  );
  detach(); // a streamed answer reads later, in transactions of its own
  return body;
}

/**
 * The rows a user's transaction may touch: their courts'. An admin administers every court
 * (courts, settings, users), so an admin's fence is every court, one made in the same
 * transaction included; the application's rules still keep admins out of cases. A system write
 * has no user and no scope.
 */
function scopeOf(actor: Actor): CourtScope {
  return actor.roles.includes("admin") ? { courtIds: "all" } : { courtIds: actor.courtIds };
}

/** A refusal is thrown only now, after its transaction committed what it recorded. */
function answer(result: RunResult): RunResult {
  if (isReply(result.body) && result.body.kind === "refusal") throw result.body.error;
  return result;
}

/**
 * Inside a write's transaction: the caller is still active, under a share lock, so that a
 * deactivation either waits for this write to commit or is seen by it (401) — a request already
 * in flight cannot write after its user was switched off.
 */
async function assertStillActive(tx: Knex.Transaction, actor: Actor): Promise<void> {
  if (!actor.credential) return; // the system's own work (demo seed, set-ups) has no credential to revoke
  const row = await tx("users").where({ id: actor.id, active: true }).forShare().first("id");
  if (!row) throw new AppError("unauthorized", "The user has been deactivated");
}

type Base = Omit<WriteContext, "db" | "audit" | "actor"> & { actor: Actor | null };

/**
 * One retrying transaction with its context: the work, then the replay record, then its audit
 * events (written last), then commit. Each attempt starts afresh, audit buffer included.
 */
async function inWriteTransaction(
  knex: Knex,
  base: Base,
  opts: { claim: IdempotencyClaim | null; mustAudit: boolean; checkActor?: ((tx: Knex.Transaction) => Promise<void>) | null; scope: CourtScope | null; check?: ScopeCheck | null },
  work: (ctx: SystemContext) => Promise<{ status: number; body: unknown }>,
): Promise<RunResult> {
  const { claim } = opts;
  const stillActive = opts.checkActor ? { userStillActive: opts.checkActor } : null;
  // The claim is the transaction's first work: on PostgreSQL it goes with BEGIN and the scope.
  const first = claim ? claimStatement(claim, { withActiveUser: stillActive !== null }) : null;
  return withTransaction(knex, async (tx, claimed) => {
    if (claim) {
      const previous = await settleClaim(tx, claim, claimed ?? [], stillActive);
      if (previous) return { status: previous.status, body: previous.body, replayed: true };
    }
    const audit = new BufferedAudit();
    const answer = await work({ ...base, db: tx, audit });
    const sealed = sealAfterWork(tx);
    if (claim) await storeIdempotentAnswer(tx, claim, answer);
    // Last: the chain head stays locked from here to the commit (on PostgreSQL, sent with it).
    await audit.flush(tx, { actorId: base.actor?.id ?? null, requestId: base.requestId, mustAudit: opts.mustAudit });
    // On PostgreSQL the trail waits to go with COMMIT and took no round trip: one turn of the
    // event loop lets a statement the work left running show itself before the seal is checked.
    await new Promise((resolve) => setImmediate(resolve));
    sealed.check(statementsInFlight(tx));
    return { ...answer, replayed: false };
  }, { scope: opts.scope, check: opts.check, first });
}

/**
 * Work the system does on its own (the first admin at start-up, a test's set-up) in the same
 * shape as an operation: one transaction, audit written last, no caller required.
 */
export async function runSystemWrite<T>(
  deps: { knex: Knex; config: Config; log: Logger },
  requestId: string,
  work: (ctx: SystemContext) => Promise<T>,
): Promise<T> {
  const now = new Date();
  const base: Base = { requestId, today: todayInChina(now), now, log: deps.log, config: deps.config, client: { ip: "system" }, actor: null };
  let result: T | undefined;
  // The system's own work may find nothing to do (the first admin already exists): no event then.
  await inWriteTransaction(deps.knex, base, { claim: null, mustAudit: false, scope: null }, async (ctx) => {
    result = await work(ctx);
    return { status: 200, body: null };
  });
  return result as T;
}

function refuseUnsafeText(req: RunRequest): void {
  const problems = [...unsafeText(req.params, "path"), ...unsafeText(req.query, "query"), ...unsafeText(req.body, "body")];
  if (problems.length > 0) throw validationFailed(problems, "The request holds text that cannot be accepted: see errors");
}

function checkAccess(op: Operation, actor: Actor | null): Actor | null {
  if (op.roles === "public") return actor;
  if (!actor) throw new AppError("unauthorized", "A bearer token is required");
  if (actor.mustChangePassword && !op.allowBeforePasswordChange) {
    throw new AppError("password_change_required", "Change your one-time password first: POST /v1/users/me/password");
  }
  if (op.roles !== "any" && !op.roles.some((r) => actor.roles.includes(r))) {
    throw new AppError("forbidden", `This needs one of the roles: ${op.roles.join(", ")}`);
  }
  return actor;
}

function parseBody(op: Operation, body: unknown): unknown {
  if (!op.body) return undefined;
  if (body === undefined) {
    if (!op.bodyOptional) throw bodyRequired();
    return parseInput(op.body, {}, "body");
  }
  return parseInput(op.body, body, "body");
}

function idempotencyClaim(actor: Actor | null, req: RunRequest): IdempotencyClaim {
  assert.ok(actor, "an idempotent operation has a signed-in caller");
  const key = requireIdempotencyKey(req.idempotencyKey);
  return { userId: actor.id, route: req.route, key, fingerprint: requestFingerprint(req.path, req.body) };
}

/** The request's audit events, kept until the work is done and then written in one go. */
class BufferedAudit implements AuditBuffer {
  private readonly events: AuditRecord[] = [];
  private flushed = false;

  record(...events: AuditRecord[]): void {
    if (this.flushed) throw new Error(`audit event ${events[0]?.action} recorded after the trail was written`);
    this.events.push(...events);
  }

  async flush(tx: Knex.Transaction, who: { actorId: string | null; requestId: string; mustAudit: boolean }): Promise<void> {
    this.flushed = true;
    // Every write leaves a trail: an operation that changed something and recorded nothing is a bug.
    if (who.mustAudit) assert.ok(this.events.length > 0, "a write operation recorded no audit event");
    if (this.events.length === 0) return;
    assertOneCourt(this.events);
    const inputs: AuditInput[] = this.events.map((e) => ({ ...e, actorId: who.actorId, requestId: who.requestId }));
    for (const { sql, bindings } of auditAppendStatements(inputs)) await atCommit(tx, sql, bindings);
  }
}

/**
 * One court per transaction (docs/ARCHITECTURE.md, "scaling path"): a write changes one court's
 * records, plus shared ones (users, calendars) whose events belong to no court. That is what lets
 * the data be distributed by court_id; an operation that wrote two courts' records is a bug.
 */
function assertOneCourt(events: readonly AuditRecord[]): void {
  const courts = new Set(events.map((e) => e.courtId).filter((c): c is string => c !== null));
  assert.ok(courts.size <= 1, `one transaction wrote the records of ${courts.size} courts (${[...courts].join(", ")})`);
}

/** What may run once the work is done: the replay record, the trail, the end of the transaction. */
const AFTER_WORK = /^(update idempotency_keys set status_code|select audit_append\(|commit|rollback)/i;

/**
 * Audit last (docs/adr/0002-audit-last.md): the audit head is the one lock every writer takes,
 * so once an operation's work is done the transaction may only write the trail, store its replay
 * record and commit. Any other statement — a read a service left running, say — fails the
 * request instead of running while the lock is held.
 */
function sealAfterWork(tx: Knex.Transaction): { check(inFlight: number): void } {
  const late: string[] = [];
  tx.on("query", (q: { sql?: string }) => {
    const sql = (q.sql ?? "").trim();
    if (!AFTER_WORK.test(sql)) late.push(sql.slice(0, 120));
  });
  return {
    check(inFlight) {
      assert.deepEqual(late, [], "statements ran after the audit trail was written");
      assert.equal(inFlight, 0, "statements ran after the audit trail was written (still running at commit)");
    },
  };
}
