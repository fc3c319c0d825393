import crypto from "node:crypto";
import type { Knex } from "knex";
import { runTogether } from "./transaction";

/** A statement with `?` bindings (strings, numbers, booleans or null). */
export interface Statement {
  sql: string;
  bindings: readonly unknown[];
}

/**
 * Statements that need nothing from one another's answers, in one message on PostgreSQL (one round
 * trip, each planned once per connection as a transaction's BEGIN and COMMIT statements are:
 * db/transaction.ts), one after the other elsewhere: each one's rows, in order. A failure fails
 * the transaction, as any statement's does.
 */
export function together(tx: Knex.Transaction, statements: readonly Statement[]): Promise<Record<string, unknown>[][]> {
  return runTogether(tx, statements);
}

/**
 * A statement the server plans once per connection: on PostgreSQL a named prepared statement,
 * named by its text (so two texts never share a name). For the hot path's large statements, whose
 * planning costs more than running them — a receipt's posting, with row-level security on every
 * table it touches (issue 16, docs/benchmarks.md). PostgreSQL re-plans by itself when the schema
 * or the role changes. PGlite runs it as any other statement.
 */
export function prepared<T>(knex: Knex, sql: string, bindings: readonly unknown[]): Knex.Raw<T> {
  const raw = knex.raw<T>(sql, bindings as Knex.RawBinding[]);
  if ((knex.client as { config?: { client?: unknown } }).config?.client === "pg") {
    (raw as unknown as { options(o: { name: string }): unknown }).options({ name: preparedName(sql) });
  }
  return raw;
}

export const preparedName = (sql: string) => nameOf("p_", sql);

const DIGESTS = new Map<string, string>();

/** A statement's name by its text (a hash), the hash remembered for the few texts the hot paths send. */
export function nameOf(prefix: string, sql: string): string {
  let digest = DIGESTS.get(sql);
  if (digest === undefined) {
    digest = crypto.createHash("sha1").update(sql).digest("hex").slice(0, 24);
    if (DIGESTS.size >= 2000) DIGESTS.clear(); // a bound, should some caller build texts on the fly
    DIGESTS.set(sql, digest);
  }
  return prefix + digest;
}

/** A query built with knex, run as `prepared` (compiled once here, not again by knex): its rows. */
export async function preparedRows<T>(knex: Knex, query: Knex.QueryBuilder): Promise<T[]> {
  const { sql, bindings } = query.toSQL();
  const { rows } = await prepared<{ rows: T[] }>(knex, sql, bindings);
  return rows;
}
