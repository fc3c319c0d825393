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
