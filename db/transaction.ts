import type { Knex } from "knex";
import crypto from "node:crypto";
import type { Statement } from "./prepared";

const RETRYABLE = new Set(["40001", "40P01"]); // serialization_failure, deadlock_detected
const MAX_ATTEMPTS = 4;

/** The role requests run as (db/migrations/20261201_0690_row_level_security.ts). */
export const APP_ROLE = "enforcement_app";

/**
 * Whose rows a transaction may touch (row-level security, docs/adr/0005): the signed-in user's
 * courts. Without a scope a transaction runs as the connecting user, the tables' owner, whom the
 * policies do not bind: migrations and the system's own work.
 */
export interface CourtScope {
  /** `all`: every court, as the courts table has them at each statement. */
  courtIds: readonly string[] | "all";
}

/**
 * A re-check carried by the scope statement (docs/adr/0006-token-cache.md): extra columns of that
 * same SELECT, with their `?` bindings, and what to do with their answer — throw to refuse the
 * transaction before any work runs.
 */
export interface ScopeCheck {
  columns: string;
  bindings: readonly unknown[];
  verify(row: Record<string, unknown>): void;
}

export type { Statement };

export interface TransactionOptions {
  scope?: CourtScope | null;
  /**
   * The transaction's first piece of work, after the scope: its rows are handed to the work. On
   * PostgreSQL it goes in the same message as BEGIN (the runner's idempotency claim).
   */
  first?: Statement | null;
  /** With a scope: columns the scope statement also answers, verified before the work runs. */
  check?: ScopeCheck | null;
  /** Reads: one snapshot for the whole request, and no write can slip in. */
  readOnlySnapshot?: boolean;
}

/**
 * One request, one transaction. A serialization failure or deadlock is retried a few times with
 * a short random back-off; any other error rolls back and propagates. With a scope, the first
 * statement switches to the app's role and names the user's courts, both for this transaction
 * only. On PostgreSQL that statement travels with BEGIN, and the statements given to `atCommit`
 * with COMMIT (see `coalesceTransactionEnds`).
 */
export async function withTransaction<T>(
  knex: Knex,
  work: (tx: Knex.Transaction, first: Record<string, unknown>[] | null) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const config: Knex.TransactionConfig = options.readOnlySnapshot ? { isolationLevel: "repeatable read", readOnly: true } : {};
  const coalesce = COALESCING.has(knex.client as object);
  for (let attempt = 1; ; attempt++) {
    const ends: TransactionEnds | null = coalesce ? { opening: openingOf(options), openingRows: [], atCommit: [] } : null;
    try {
      return await knex.transaction(
        async (tx) => {
          if (ends) ENDS.set(tx, ends);
          const opened = ends ? [...ends.openingRows] : null; // the answers of the statements sent with BEGIN, in order
          if (options.scope) {
            const row = opened ? (opened.shift() ?? [])[0] ?? {} : await enterScope(tx, options.scope, options.check);
            options.check?.verify(row);
          }
          let first: Record<string, unknown>[] | null = null;
          if (options.first) {
            first = opened ? (opened.shift() ?? []) : (await tx.raw<{ rows: Record<string, unknown>[] }>(options.first.sql, options.first.bindings as Knex.RawBinding[])).rows;
          }
          return work(tx, first);
        },
        { ...config, [ENDS_KEY]: ends } as Knex.TransactionConfig,
      );
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= MAX_ATTEMPTS || !code || !RETRYABLE.has(code)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

/**
 * A statement whose answer nobody reads, to run just before the transaction commits: the replay
 * record, the audit trail (docs/adr/0002-audit-last.md). On PostgreSQL it is sent with COMMIT in one
 * message, so the audit chain's head is locked for the server's own time only, not for a round
 * trip to a busy Node and back (issue 16); elsewhere it runs at once. Bindings are `?`; their
 * values are strings, numbers, booleans or null.
 */
export async function atCommit(tx: Knex.Transaction, sql: string, bindings: readonly unknown[]): Promise<void> {
  const ends = ENDS.get(tx);
  if (ends) ends.atCommit.push({ sql, bindings });
  else await tx.raw(sql, bindings as Knex.RawBinding[]);
}

/** db/prepared.ts `together`: statements in one message, on this transaction's connection. */
export async function runTogether(tx: Knex.Transaction, statements: readonly Statement[]): Promise<Record<string, unknown>[][]> {
  const conn = ENDS.get(tx)?.connection;
  if (!conn) {
    const rows: Record<string, unknown>[][] = [];
    for (const { sql, bindings } of statements) rows.push((await tx.raw<{ rows: Record<string, unknown>[] }>(sql, bindings as Knex.RawBinding[])).rows);
    return rows;
  }
  const emitter = tx.client as unknown as KnexTransactionInternals["trxClient"];
  // A statement new to this connection is prepared in a message of its own first (once), so that a
  // failure of the statements themselves leaves no doubt about what the connection has prepared.
  const known = preparedOn(conn);
  const fresh = statements.filter((st, i) => !known.has(preparedName(st.sql)) && statements.findIndex((o) => o.sql === st.sql) === i);
  if (fresh.length > 0) {
    await send(emitter, conn, fresh.map((st) => `PREPARE ${preparedName(st.sql)} AS ${numberedParameters(st.sql, st.bindings.length)}`).join(";\n"));
    for (const st of fresh) known.add(preparedName(st.sql));
  }
  const message = executions(conn, statements);
  const results = await send(emitter, conn, message.parts.join(";\n"), statements.map(literally).join(";\n"));
  const each = Array.isArray(results) ? results : [results];
  return message.answers.map((i) => each[i]?.rows ?? []);
}

/**
 * Statements of this transaction still running or queued on its connection (PostgreSQL; 0
 * elsewhere): before COMMIT, a sign that the work left a query running.
 */
export function statementsInFlight(tx: Knex.Transaction): number {
  const conn = ENDS.get(tx)?.connection;
  return conn ? (conn._activeQuery ? 1 : 0) + (conn._queryQueue?.length ?? 0) : 0;
}

/** What a coalescing transaction sends with its BEGIN, what that answered, and what goes with its COMMIT. */
interface TransactionEnds {
  connection?: RawConnection;
  /** The statements after BEGIN in its message (none: BEGIN alone), and each one's rows. */
  opening: Statement[];
  openingRows: Record<string, unknown>[][];
  atCommit: Statement[];
}

function openingOf(options: TransactionOptions): Statement[] {
  const opening: Statement[] = [];
  if (options.scope) opening.push(scopeStatement(options.scope, options.check));
  if (options.first) opening.push(options.first);
  return opening;
}

const ENDS_KEY = Symbol.for("court-funds.transaction-ends");
const ENDS = new WeakMap<object, TransactionEnds>();
const COALESCING = new WeakSet<object>();

/** The parts of a knex transaction (knex 3.x, lib/execution/transaction.js) this file takes over. */
interface KnexTransactionInternals {
  trxClient: { emit(event: "query", q: object): void };
  isolationLevel?: string;
  readOnly?: boolean;
  _completed: boolean;
  _resolver(value: unknown): void;
  _rejecter(err: unknown): void;
  begin(conn: RawConnection): Promise<unknown>;
  commit(conn: RawConnection, value: unknown): Promise<unknown>;
}

interface RawConnection {
  // pg 8's own fields (its public getters for them are deprecated).
  _activeQuery?: unknown;
  _queryQueue?: unknown[];
  __knexUid?: string;
  __knexTxId?: string;
  query(text: string, callback: (err: Error | null, result: RawResult | RawResult[]) => void): void;
}

interface RawResult {
  rows: Record<string, unknown>[];
}

/**
 * PostgreSQL only (PGlite takes one statement per query): a transaction's first statement goes
 * in one simple-protocol message with its BEGIN, and its `atCommit` statements in one with its
 * COMMIT — two round trips fewer per write, and none while the audit head is locked. A failure
 * inside either message rolls the transaction back before the error propagates, as knex does for
 * any other statement. Sent on the connection itself: knex would read a `?` inside the inlined
 * values as a binding.
 */
export function coalesceTransactionEnds(knex: Knex): void {
  type MakeTransaction = (container: unknown, config: Record<PropertyKey, unknown> | undefined, outerTx: unknown) => KnexTransactionInternals;
  const client = knex.client as unknown as { transaction: MakeTransaction };
  const make = client.transaction.bind(client);
  client.transaction = (container, config, outerTx) => {
    const trx = make(container, config, outerTx);
    const ends = config?.[ENDS_KEY] as TransactionEnds | null | undefined;
    if (ends && !outerTx) takeOverEnds(trx, ends);
    return trx;
  };
  COALESCING.add(knex.client as object);
}

function takeOverEnds(trx: KnexTransactionInternals, ends: TransactionEnds): void {
  const plainBegin = trx.begin.bind(trx);
  const plainCommit = trx.commit.bind(trx);
  trx.begin = async (conn) => {
    ends.connection = conn;
    if (ends.opening.length === 0) return plainBegin(conn);
    const mode = [trx.isolationLevel ? `ISOLATION LEVEL ${trx.isolationLevel}` : "", trx.readOnly ? "READ ONLY" : ""].join(" ").trim();
    const message = executions(conn, ends.opening);
    try {
      const begin = mode ? `BEGIN TRANSACTION ${mode}` : "BEGIN";
      const results = await send(trx, conn, [begin, ...message.parts].join(";\n"), [begin, ...ends.opening.map(literally)].join(";\n"));
      const each = Array.isArray(results) ? results : [results];
      ends.openingRows = message.answers.map((i) => each[i + 1]?.rows ?? []);
    } catch (err) {
      await rollBack(trx, conn);
      throw err;
    }
  };
  trx.commit = (conn, value) => {
    if (ends.atCommit.length === 0) return plainCommit(conn, value);
    const sql = `${executions(conn, ends.atCommit).parts.join(";\n")};\nCOMMIT`;
    trx._completed = true;
    return send(trx, conn, sql, `${ends.atCommit.map(literally).join(";\n")};\nCOMMIT`).then(
      () => trx._resolver(value),
      async (err: unknown) => {
        // A statement before COMMIT failed: the transaction is open and aborted. (If COMMIT itself
        // failed, the server has already rolled back and this ROLLBACK only draws a warning.)
        await rollBack(trx, conn);
        trx._rejecter(err);
      },
    );
  };
}

/**
 * The statements of a simple-protocol message as `EXECUTE`s of statements prepared on this
 * connection, each `PREPARE`d (in the same message) the first time the connection sends it: the
 * server parses, rewrites (row-level security) and plans each text once per connection instead
 * of once per transaction (issue 16). Named by their text, so that two texts never share a name.
 * `answers`: where each statement's own answer is among the parts.
 */
function executions(conn: RawConnection, statements: readonly Statement[]): { parts: string[]; answers: number[] } {
  const known = preparedOn(conn);
  const parts: string[] = [];
  const answers: number[] = [];
  for (const { sql, bindings } of statements) {
    const name = preparedName(sql);
    if (!known.has(name)) {
      parts.push(`PREPARE ${name} AS ${numberedParameters(sql, bindings.length)}`);
      known.add(name); // a PREPARE is not undone by a rollback: see rollBack for a message that failed
    }
    answers.push(parts.length);
    parts.push(bindings.length ? `EXECUTE ${name}(${bindings.map(sqlLiteral).join(", ")})` : `EXECUTE ${name}`);
  }
  return { parts, answers };
}

const DIGESTS = new Map<string, string>();

/** A statement's name on a connection: a hash of its text, remembered for the few texts the hot paths send. */
function preparedName(sql: string): string {
  let digest = DIGESTS.get(sql);
  if (digest === undefined) {
    digest = crypto.createHash("sha1").update(sql).digest("hex").slice(0, 24);
    if (DIGESTS.size >= 2000) DIGESTS.clear(); // a bound, should some caller build texts on the fly
    DIGESTS.set(sql, digest);
  }
  return `s_${digest}`;
}

/** The names this process has prepared on a connection (a new connection has none). */
const PREPARED = new WeakMap<RawConnection, Set<string>>();

function preparedOn(conn: RawConnection): Set<string> {
  let known = PREPARED.get(conn);
  if (!known) PREPARED.set(conn, (known = new Set()));
  return known;
}

/**
 * After a message failed: roll back, and learn afresh which of its PREPAREs ran before the
 * failure (they outlive the rollback), so that the next message neither repeats nor misses one.
 */
async function rollBack(trx: KnexTransactionInternals, conn: RawConnection): Promise<void> {
  try {
    const results = await send(trx, conn, "ROLLBACK;\nSELECT name FROM pg_prepared_statements");
    const listed = Array.isArray(results) ? results[results.length - 1] : results;
    PREPARED.set(conn, new Set(listed.rows.map((r) => String(r.name))));
  } catch {
    PREPARED.delete(conn); // unknown: the next PREPARE of a name already there fails, and this runs again
  }
}

/** `?` → `$1, $2…`, for a PREPARE; as `inlineBindings`, every `?` of the text is a binding. */
function numberedParameters(sql: string, count: number): string {
  let i = 0;
  const text = sql.replace(/\?/g, () => `$${++i}`);
  if (i !== count) throw new Error(`${i} ? in the statement for ${count} bindings`);
  return text;
}

/**
 * One message. The statement logs (tests, benchmarks) see it as knex's own statements are seen,
 * as the statements it runs (`shown`: values written in, not the EXECUTEs of prepared names), with
 * what went on the wire in `sent`.
 */
function send(to: KnexTransactionInternals | KnexTransactionInternals["trxClient"], conn: RawConnection, sql: string, shown = sql): Promise<RawResult | RawResult[]> {
  const emitter = "trxClient" in to ? to.trxClient : to;
  emitter.emit("query", { __knexUid: conn.__knexUid, __knexTxId: conn.__knexTxId, sql: shown, bindings: [], sent: sql });
  return new Promise((resolve, reject) => conn.query(sql, (err, result) => (err ? reject(err) : resolve(result))));
}

const literally = (s: Statement) => inlineBindings(s.sql, s.bindings);

/** `?` bindings written into the statement as SQL literals: how a statement log shows a message's statements. */
export function inlineBindings(sql: string, bindings: readonly unknown[]): string {
  let i = 0;
  const text = sql.replace(/\?/g, () => {
    if (i >= bindings.length) throw new Error("more ? in the statement than bindings");
    return sqlLiteral(bindings[i++]);
  });
  if (i !== bindings.length) throw new Error("more bindings than ? in the statement");
  return text;
}

/** A value as an SQL literal, for a statement sent in a simple-protocol message. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === "string") return quoteLiteral(value);
  throw new Error(`a ${typeof value} cannot be written as a literal`);
}

/** A string constant that means the same whatever standard_conforming_strings says. */
export function quoteLiteral(text: string): string {
  if (text.includes("\0")) throw new Error("a string with NUL cannot be sent to PostgreSQL");
  const quoted = text.replace(/'/g, "''");
  return text.includes("\\") ? ` E'${quoted.replace(/\\/g, "\\\\")}'` : `'${quoted}'`;
}

/**
 * The app's role and the user's courts, until this transaction ends (`set_config(…, true)`). The
 * same statement may answer more `columns` (the caller's credential re-check): no extra round trip.
 */
export async function enterScope(tx: Knex.Transaction, scope: CourtScope, check?: Pick<ScopeCheck, "columns" | "bindings"> | null): Promise<Record<string, unknown>> {
  const { sql, bindings } = scopeStatement(scope, check);
  const result = await tx.raw<{ rows: Record<string, unknown>[] }>(sql, bindings as Knex.RawBinding[]);
  return result.rows[0] ?? {};
}

function scopeStatement(scope: CourtScope, check?: Pick<ScopeCheck, "columns" | "bindings"> | null): Statement {
  return {
    sql: `SELECT set_config('role', ?::text, true), set_config('app.court_ids', ?::text, true)${check ? `, ${check.columns}` : ""}`,
    bindings: [APP_ROLE, courtArray(scope.courtIds), ...(check?.bindings ?? [])],
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function courtArray(courtIds: readonly string[] | "all"): string {
  if (courtIds === "all") return "*";
  for (const id of courtIds) if (!UUID.test(id)) throw new Error(`not a court id: ${JSON.stringify(id)}`);
  return `{${courtIds.join(",")}}`;
}

/** Marks a read handle; api/core/read-snapshot.ts reads the mark (the same registered symbol). */
const READ_SNAPSHOT = Symbol.for("court-funds.read-snapshot");

/**
 * The database handle of a read, which runs in one scoped, read-only snapshot. A streamed answer
 * (an export) is produced after that transaction ended, and must not be written while a
 * transaction is open (docs/adr/0003): once `detach` is called, the handle opens a fresh scoped
 * transaction for each `transaction()` asked of it, and refuses a query outside one.
 */
export function scopedReadHandle(knex: Knex, tx: Knex.Transaction, scope: CourtScope): { db: Knex; detach(): void } {
  let current: Knex | null = tx;
  // After detach: a fresh snapshot per transaction asked for, scoped like the read itself.
  const snapshot: Knex.TransactionConfig = { isolationLevel: "repeatable read", readOnly: true };
  const transaction = (handler?: unknown): unknown => {
    if (typeof handler === "function") {
      return knex.transaction(async (fresh) => {
        await enterScope(fresh, scope);
        return (handler as (t: Knex.Transaction) => unknown)(fresh);
      }, snapshot);
    }
    return knex.transaction(snapshot).then(async (fresh) => {
      try {
        await enterScope(fresh, scope);
      } catch (err) {
        await fresh.rollback().catch(() => undefined);
        throw err;
      }
      return fresh;
    });
  };
  const target = () => {
    if (!current) throw new Error("a streamed answer read the database outside a transaction of its own");
    return current;
  };
  const db = new Proxy(function scoped() {} as unknown as Knex, {
    apply: (_t, _this, args: unknown[]) => (target() as unknown as (...a: unknown[]) => unknown)(...args),
    get: (_t, prop) => {
      if (prop === READ_SNAPSHOT) return true;
      if (current === null) {
        if (prop === "transaction") return transaction;
        if (prop === "isTransaction") return false;
      }
      const on = target() as unknown as Record<string | symbol, unknown>;
      const value = on[prop];
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(on) : value;
    },
  });
  return {
    db,
    detach() {
      current = null;
    },
  };
}
