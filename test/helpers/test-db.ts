import crypto from "node:crypto";
import fs from "node:fs";
import knexFactory from "knex";
import { connectPglite, connectPostgres, type Database } from "../../db/connection";
import { withDatabase } from "./global-setup";

export const onRealPostgres = Boolean(process.env.DATABASE_URL);

/** A fresh, migrated database for one test file; `drop` removes it again. */
export async function freshDatabase(): Promise<{ db: Database; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = process.env.CEF_TEST_TEMPLATE_DB;
    if (!template) throw new Error("the jest globalSetup did not create a template database");
    const name = `cef_test_${crypto.randomBytes(6).toString("hex")}`;
    const admin = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
    await admin.raw(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const db = connectPostgres({ url: withDatabase(url, name), poolMax: 20 });
    return {
      db,
      drop: async () => {
        await db.close();
        await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.destroy();
      },
    };
  }
  const dump = process.env.CEF_TEST_PGLITE_TEMPLATE;
  if (!dump) throw new Error("the jest globalSetup did not create a PGlite template");
  const db = await connectPglite({ loadDataDir: new Blob([fs.readFileSync(dump)]) });
  return { db, drop: () => db.close() };
}
