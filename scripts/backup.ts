/**
 * Backs up the embedded database (PGlite, in DATA_DIR) to one gzipped tarball and a manifest
 * beside it (digest, row counts, audit head). PGlite is one process: stop the server first (the
 * data-directory lock makes this refuse while it runs). For a PostgreSQL server use pg_dump (README).
 *
 *   npm run backup                                  # DATA_DIR to ./backups/cef-<time>.tar.gz
 *   npm run backup -- --data-dir ./.data --out /mnt/backups/cef.tar.gz
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "../api/config";
import { connectPglite } from "../db/connection";
import { databaseFacts, pgliteOf, type BackupManifest } from "./backup-manifest";

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

async function main() {
  const config = loadConfig();
  if (config.databaseUrl) {
    throw new Error("DATABASE_URL is set: back up a PostgreSQL server with pg_dump (see README, Backup and restore)");
  }
  const dataDir = path.resolve(arg("data-dir") ?? config.dataDir);
  if (!fs.existsSync(path.join(dataDir, "pgdata"))) throw new Error(`No embedded database in ${dataDir}`);
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
  const out = path.resolve(arg("out") ?? path.join("backups", `cef-${stamp}.tar.gz`));
  if (fs.existsSync(out)) throw new Error(`${out} exists: choose another --out`);
  fs.mkdirSync(path.dirname(out), { recursive: true });

  const db = await connectPglite({ dataDir });
  try {
    const facts = await databaseFacts(db.knex);
    if (!facts.audit.ok) throw new Error(`The audit chain is broken at event ${facts.audit.brokenAt}: not backed up (investigate first)`);
    const tarball = Buffer.from(await (await pgliteOf(db).dumpDataDir("gzip")).arrayBuffer());
    // Personal data and money: readable by this user only.
    fs.writeFileSync(out, tarball, { flag: "wx", mode: 0o600 });
    const manifest: BackupManifest = {
      format: "cef-pglite-backup/1",
      createdAt: new Date().toISOString(),
      file: path.basename(out),
      bytes: tarball.length,
      sha256: crypto.createHash("sha256").update(tarball).digest("hex"),
      ...facts,
    };
    fs.writeFileSync(`${out}.json`, JSON.stringify(manifest, null, 2) + "\n", { flag: "wx", mode: 0o600 });
    const rows = Object.values(facts.tables).reduce((n, c) => n + Number(c), 0);
    process.stdout.write(
      `Backed up ${dataDir} to ${out} (${tarball.length} bytes, sha256 ${manifest.sha256}).\n` +
        `  ${Object.keys(facts.tables).length} tables, ${rows} rows; last migration ${facts.lastMigration}; audit chain verified, ${facts.audit.events} events, head ${facts.audit.head}.\n` +
        `  Manifest: ${out}.json\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`Backup failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
