/**
 * Applies every pending migration (the server also does this at start-up unless
 * MIGRATE_ON_START=0), against DATABASE_URL or the embedded database in DATA_DIR.
 *
 *   npm run migrate                  # up to the latest
 *   npm run migrate -- --down-all    # roll every migration back (development only)
 */
import { loadConfig } from "../api/config";
import { connect } from "../db/connection";
import { migrateLatest, migrateRollbackAll } from "../db/migrate";

async function main() {
  const config = loadConfig();
  const downAll = process.argv.includes("--down-all");
  if (downAll && config.env === "production") throw new Error("--down-all is refused when NODE_ENV=production");
  const db = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const where = db.kind === "pglite" ? `embedded database in ${config.dataDir}` : "PostgreSQL at DATABASE_URL";
  try {
    const names = downAll ? await migrateRollbackAll(db.knex) : await migrateLatest(db.knex);
    const verb = downAll ? "rolled back" : "applied";
    process.stdout.write(
      names.length === 0 ? `Nothing to do on the ${where}.\n` : `${names.length} migration(s) ${verb} on the ${where}:\n  ${names.join("\n  ")}\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`Migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
