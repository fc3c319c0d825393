/**
 * Restores a backup made by `npm run backup` into a NEW data directory (refusing one that exists
 * and is not empty), then opens it and checks it against the backup's manifest: the digest, every
 * table's row count, the last migration, and the audit chain (verified, same head).
 *
 *   npm run restore -- --from backups/cef-20261201T120000.tar.gz --data-dir ./.data-restored
 *
 * Point DATA_DIR at the restored directory to run the server on it.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { connectPglite, createPglite } from "../db/connection";
import { databaseFacts, differences, type BackupManifest } from "./backup-manifest";

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

async function main() {
  const from = arg("from");
  const target = arg("data-dir");
  if (!from || !target) throw new Error("usage: npm run restore -- --from <backup.tar.gz> --data-dir <new directory>");
  const dataDir = path.resolve(target);
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} is not empty: restore into a new directory (nothing was changed)`);
  }
  const tarball = fs.readFileSync(path.resolve(from));
  const manifestFile = `${path.resolve(from)}.json`;
  const manifest: BackupManifest | undefined = fs.existsSync(manifestFile) ? JSON.parse(fs.readFileSync(manifestFile, "utf8")) : undefined;
  if (manifest) {
    const sha256 = crypto.createHash("sha256").update(tarball).digest("hex");
    if (manifest.format !== "cef-pglite-backup/1") throw new Error(`${manifestFile}: unknown format ${manifest.format}`);
    if (sha256 !== manifest.sha256) throw new Error(`${from} does not match its manifest (sha256 ${sha256}, expected ${manifest.sha256}): the file is damaged`);
  } else {
    process.stderr.write(`Warning: no manifest ${manifestFile}; the restore is checked only for a verifying audit chain.\n`);
  }

  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pglite = await createPglite({ dataDir: path.join(dataDir, "pgdata"), loadDataDir: new Blob([tarball]) });
  await pglite.close();

  const db = await connectPglite({ dataDir });
  try {
    const facts = await databaseFacts(db.knex);
    const problems = manifest ? differences(manifest, facts) : facts.audit.ok ? [] : [`the audit chain is broken at event ${facts.audit.brokenAt}`];
    if (problems.length > 0) {
      throw new Error(`The restored database in ${dataDir} does not match the backup:\n  ${problems.join("\n  ")}`);
    }
    const rows = Object.values(facts.tables).reduce((n, c) => n + Number(c), 0);
    process.stdout.write(
      `Restored ${from} into ${dataDir}.\n` +
        `  ${Object.keys(facts.tables).length} tables, ${rows} rows${manifest ? ", as in the backup" : ""}; last migration ${facts.lastMigration}; ` +
        `audit chain verified, ${facts.audit.events} events, head ${facts.audit.head}.\n` +
        `  Start the server on it with DATA_DIR=${dataDir}\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`Restore failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
