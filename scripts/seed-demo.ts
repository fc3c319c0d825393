/**
 * Seeds the demo data set (courts, one user per role, and whatever the features add) into
 * DATABASE_URL or the embedded database in DATA_DIR, and prints the demo tokens once.
 * `npm start` already does this on a new embedded database; this is for a database made otherwise.
 *
 *   npm run seed:demo
 */
import { loadConfig } from "../api/config";
import { connect } from "../db/connection";
import { migrateLatest } from "../db/migrate";
import { seedDemo } from "./demo/demo";
import { createLogger } from "../api/logger";

async function main() {
  const config = loadConfig();
  if (config.env === "production") throw new Error("the demo data set is never seeded when NODE_ENV=production");
  const db = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateLatest(db.knex);
    const courts = await db.knex("courts").count<{ n: string }[]>("* as n");
    if (courts[0].n !== "0") throw new Error("this database already has courts; the demo goes only into an empty one");
    const demo = await seedDemo({ knex: db.knex, config, logger: createLogger("warn") }, { log: (msg) => process.stdout.write(`${msg}\n`) });
    const lines = ["", "Demo data seeded. Usernames, passwords and API tokens (shown once, keep them):"];
    for (const u of demo.users) lines.push(`  ${u.role.padEnd(13)} ${u.username.padEnd(10)} ${u.password}  ${u.token}`);
    for (const hint of demo.hints) lines.push(`  ${hint}`);
    process.stdout.write(lines.join("\n") + "\n");
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`Seeding failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
