import type { Knex } from "knex";

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
 * same SELECT (literal SQL, no bindings), and what to do with their answer — throw to refuse the
 * transaction before any work runs.
 */
export interface ScopeCheck {
  columns: string;
  verify(row: Record<string, unknown>): void;
}

export interface TransactionOptions {
  scope?: CourtScope | null;
  /** With a scope: columns the scope statement also answers, verified before the work runs. */
  check?: ScopeCheck | null;
  /** Reads: one snapshot for the whole request, and no write can slip in. */
  readOnlySnapshot?: boolean;
}

/**
 * One request, one transaction. A serialization failure or deadlock is retried a few times with
 * a short random back-off; any other error rolls back and propagates. With a scope, the first
 * statement switches to the app's role and names the user's courts, both for this transaction
 * only.
 */
export async function withTransaction<T>(knex: Knex, work: (tx: Knex.Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const config: Knex.TransactionConfig | undefined = options.readOnlySnapshot ? { isolationLevel: "repeatable read", readOnly: true } : undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await knex.transaction(async (tx) => {
        if (options.scope) {
          const row = await enterScope(tx, options.scope, options.check?.columns);
          options.check?.verify(row);
        }
        return work(tx);
      }, config);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= MAX_ATTEMPTS || !code || !RETRYABLE.has(code)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

/**
 * The app's role and the user's courts, until this transaction ends (`set_config(…, true)`). The
 * same statement may answer more `columns` (the caller's credential re-check): no extra round trip.
 */
export async function enterScope(tx: Knex.Transaction, scope: CourtScope, columns?: string): Promise<Record<string, unknown>> {
  const sql = `SELECT set_config('role', ?, true), set_config('app.court_ids', ?, true)${columns ? `, ${columns}` : ""}`;
  const result = await tx.raw<{ rows: Record<string, unknown>[] }>(sql, [APP_ROLE, courtArray(scope.courtIds)]);
  return result.rows[0] ?? {};
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
