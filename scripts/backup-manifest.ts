import type { Knex } from "knex";
import { verifyAll } from "../api/audit/audit-service";
import type { PGlite } from "@electric-sql/pglite";
import type { Database } from "../db/connection";

/**
 * What a backup of the embedded database says about itself, and what a restore checks: the
 * tarball's digest, the row count of every table, the last migration and the audit chain's head.
 */
export interface BackupManifest {
  format: "cef-pglite-backup/1";
  createdAt: string;
  file: string;
  bytes: number;
  sha256: string;
  lastMigration: string | null;
  tables: Record<string, string>;
  audit: { ok: boolean; events?: string; head?: string; brokenAt?: string };
}

export type DatabaseFacts = Pick<BackupManifest, "lastMigration" | "tables" | "audit">;

export async function databaseFacts(knex: Knex): Promise<DatabaseFacts> {
  const { rows: tables } = await knex.raw<{ rows: { name: string }[] }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const counts: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await knex.raw<{ rows: { n: string }[] }>(`SELECT count(*)::text AS n FROM "${name.replace(/"/g, '""')}"`);
    counts[name] = rows[0].n;
  }
  const last = tables.some((t) => t.name === "knex_migrations")
    ? await knex("knex_migrations").orderBy("id", "desc").first<{ name: string } | undefined>("name")
    : undefined;
  return { lastMigration: last?.name ?? null, tables: counts, audit: await verifyAll(knex, null) };
}

/** The PGlite instance behind an embedded database handle. */
export function pgliteOf(db: Database): PGlite {
  if (db.kind !== "pglite") throw new Error("not the embedded database");
  return (db.knex.client as { pglite: PGlite }).pglite;
}

/** A mismatch between two sets of facts, one line each; empty when they agree. */
export function differences(expected: DatabaseFacts, actual: DatabaseFacts): string[] {
  const out: string[] = [];
  if (expected.lastMigration !== actual.lastMigration) out.push(`last migration: ${expected.lastMigration} in the backup, ${actual.lastMigration} restored`);
  for (const name of new Set([...Object.keys(expected.tables), ...Object.keys(actual.tables)])) {
    if (expected.tables[name] !== actual.tables[name]) out.push(`table ${name}: ${expected.tables[name] ?? "absent"} rows in the backup, ${actual.tables[name] ?? "absent"} restored`);
  }
  if (!actual.audit.ok) out.push(`the restored audit chain is broken at event ${actual.audit.brokenAt}`);
  if (expected.audit.head !== actual.audit.head || expected.audit.events !== actual.audit.events) {
    out.push(`audit chain: ${expected.audit.events} events ending ${expected.audit.head} in the backup, ${actual.audit.events} ending ${actual.audit.head} restored`);
  }
  return out;
}
