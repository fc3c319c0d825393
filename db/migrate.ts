import { Knex } from "knex";
import { migrations } from "./migrations";

/**
 * Migrations are listed in code (db/migrations/index.ts) rather than found on disk, so that the
 * same names are recorded whether they run under tsx, jest or compiled JavaScript.
 */
const source: Knex.MigrationSource<(typeof migrations)[number]> = {
  getMigrations: async () => migrations,
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m.module,
};

const config: Knex.MigratorConfig = { migrationSource: source, tableName: "knex_migrations" };

export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(config)) as [number, string[]];
  return applied;
}

export async function migrateRollbackAll(knex: Knex): Promise<string[]> {
  const [, rolledBack] = (await knex.migrate.rollback(config, true)) as [number, string[]];
  return rolledBack;
}

/** Rolls back, newest first, until the named migration is no longer applied (tests of data migrations). */
export async function migrateDownThrough(knex: Knex, name: string): Promise<string[]> {
  const undone: string[] = [];
  for (;;) {
    const [completed] = (await knex.migrate.list(config)) as [({ name: string } | string)[], unknown];
    if (!completed.some((m) => (typeof m === "string" ? m : m.name) === name)) return undone;
    const [, names] = (await knex.migrate.down(config)) as [number, string[]];
    undone.push(...names);
  }
}
