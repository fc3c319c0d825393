import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import knexFactory from "knex";
import { connectPglite, connectPostgres } from "../../db/connection";
import { migrateLatest } from "../../db/migrate";

/**
 * Migrates one template database for the whole run; every test file then gets a fresh copy:
 * `CREATE DATABASE … TEMPLATE` on PostgreSQL, or a PGlite loaded from a dump of the template.
 */
export default async function globalSetup() {
  // The server-process tests run the build, as `npm start` does: build it once here if it is stale.
  (require("../../scripts/build-api") as { buildApi(): void }).buildApi();
  // jest gives globalSetup no timeout of its own: a stuck database set-up must fail, not hang CI.
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("test database set-up took over 3 minutes: giving up")), 180_000);
  });
  try {
    await Promise.race([prepareTemplate(), watchdog]);
  } finally {
    clearTimeout(timer);
  }
}

async function prepareTemplate() {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `cef_template_${process.pid}`;
    const admin = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
    await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
    await admin.raw(`CREATE DATABASE ${name}`);
    await admin.destroy();
    const db = connectPostgres({ url: withDatabase(url, name) });
    await migrateLatest(db.knex);
    await db.close();
    process.env.CEF_TEST_TEMPLATE_DB = name;
  } else {
    const db = await connectPglite();
    await migrateLatest(db.knex);
    const pglite = (db.knex.client as { pglite: { dumpDataDir(c: "gzip"): Promise<Blob> } }).pglite;
    const dump = await pglite.dumpDataDir("gzip");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cef-test-")), "template.tar.gz");
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await db.close();
    process.env.CEF_TEST_PGLITE_TEMPLATE = file;
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
