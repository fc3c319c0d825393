import fs from "node:fs";
import path from "node:path";
import knexFactory from "knex";

export default async function globalTeardown() {
  const url = process.env.DATABASE_URL;
  const template = process.env.CEF_TEST_TEMPLATE_DB;
  if (url && template) {
    const admin = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
    await admin.raw(`DROP DATABASE IF EXISTS ${template}`);
    await admin.destroy();
  }
  const dump = process.env.CEF_TEST_PGLITE_TEMPLATE;
  if (dump) fs.rmSync(path.dirname(dump), { recursive: true, force: true });
}
