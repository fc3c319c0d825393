import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { createApp } from "../../api/app";
import { loadConfig } from "../../api/config";
import { createLogger } from "../../api/logger";
import { connectPglite, type Database } from "../../db/connection";
import { migrateLatest } from "../../db/migrate";
import { seedDemo, type DemoSeedResult } from "../../scripts/demo/demo";
import { onRealPostgres } from "../helpers/test-db";

/**
 * Issue 17, finding 10: `npm run backup` and `npm run restore` on the embedded database. The demo
 * (money received and paid out, dishonest-debtor listings, hundreds of audit events) is backed up,
 * restored into a new directory, and there the audit chain verifies and the reconciliation, the
 * reports and the exports are what they were. (A PostgreSQL server is backed up with pg_dump: README.)
 */
jest.setTimeout(600_000);

const ROOT = path.join(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const describeEmbedded = onRealPostgres ? describe.skip : describe;
if (onRealPostgres) console.warn("backup-restore.test.ts: skipping: backup and restore are for the embedded database (PostgreSQL uses pg_dump)");

async function run(script: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development" };
  delete env.NODE_OPTIONS;
  delete env.DATABASE_URL;
  const child = spawn(TSX, [script, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}

interface Snapshot {
  audit: unknown;
  reconciliation: unknown[];
  reports: unknown[];
  exports: string[];
}

/** What must survive a backup: read through the API with the demo's tokens. */
async function snapshot(db: Database, demo: DemoSeedResult): Promise<Snapshot> {
  const config = { ...loadConfig({ NODE_ENV: "test" }), env: "test" as const };
  const app = createApp({ db, config, logger: createLogger("silent") });
  const as = (role: string) => ({ Authorization: `Bearer ${demo.users.find((u) => u.role === role)!.token}` });
  const get = async (url: string, role: string) => {
    const res = await request(app).get(url).set(as(role));
    expect(res.status).toBe(200);
    return res;
  };
  const withoutTimes = (body: Record<string, unknown>) => ({ ...body, generatedAt: undefined, verifiedAt: undefined });
  const courts = Object.values(demo.courts);
  const audit = (await get("/v1/audit-events/verify", "admin")).body;
  const reconciliation = [];
  for (const courtId of courts) reconciliation.push({ ...(await get(`/v1/reconciliation?courtId=${courtId}`, "finance")).body, asOf: undefined }); // (asOf: the instant it was read)
  const reports = [
    withoutTimes((await get("/v1/reports/disbursements?from=2024-01-01&to=2024-12-31", "inspector")).body),
    withoutTimes((await get("/v1/reports/held-funds?asOf=2024-06-30", "inspector")).body),
    withoutTimes((await get("/v1/reports/debtor-list?from=2024-01-01&to=2024-12-31", "inspector")).body),
  ];
  const text = (r: request.Response) => r.text;
  const exports = [
    text(await get("/v1/reports/disbursements?from=2024-01-01&to=2024-12-31&format=csv", "inspector")),
    text(await get("/v1/reports/held-funds?asOf=2024-06-30&format=csv", "inspector")),
  ];
  return { audit, reconciliation, reports, exports };
}

describeEmbedded("backup and restore of the embedded database", () => {
  let dir: string;
  let demo: DemoSeedResult;
  let before: Snapshot;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cef-backup-"));
    const db = await connectPglite({ dataDir: path.join(dir, "source") });
    try {
      await migrateLatest(db.knex);
      demo = await seedDemo({ knex: db.knex, config: loadConfig({ NODE_ENV: "test" }), logger: createLogger("silent") });
      before = await snapshot(db, demo);
    } finally {
      await db.close();
    }
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("backed up and restored into a new directory: the audit chain verifies, reconciliation, reports and exports are unchanged", async () => {
    expect(before.audit).toMatchObject({ ok: true });
    expect(Number((before.audit as { events: string }).events)).toBeGreaterThan(100);
    expect((before.reports[2] as { listed: number }).listed).toBeGreaterThan(0);
    expect(before.exports[0].split("\n").length).toBeGreaterThan(284);

    const file = path.join(dir, "backups", "demo.tar.gz");
    const backup = await run("scripts/backup.ts", ["--data-dir", path.join(dir, "source"), "--out", file]);
    expect({ code: backup.code, stderr: backup.stderr }).toEqual({ code: 0, stderr: "" });
    expect(backup.stdout).toContain("audit chain verified");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const manifest = JSON.parse(fs.readFileSync(`${file}.json`, "utf8"));
    expect(manifest).toMatchObject({ format: "cef-pglite-backup/1", audit: { ok: true, head: (before.audit as { head: string }).head } });

    const target = path.join(dir, "restored");
    const restore = await run("scripts/restore.ts", ["--from", file, "--data-dir", target]);
    expect({ code: restore.code, stderr: restore.stderr }).toEqual({ code: 0, stderr: "" });
    expect(restore.stdout).toContain("as in the backup");

    const db = await connectPglite({ dataDir: target });
    try {
      expect(await snapshot(db, demo)).toEqual(before);
    } finally {
      await db.close();
    }
  });

  test("restore refuses a directory that is not empty and leaves it as it was; a damaged backup is refused", async () => {
    const file = path.join(dir, "backups", "second.tar.gz");
    expect((await run("scripts/backup.ts", ["--data-dir", path.join(dir, "source"), "--out", file])).code).toBe(0);
    // A second backup to the same file is refused rather than overwriting the first.
    const again = await run("scripts/backup.ts", ["--data-dir", path.join(dir, "source"), "--out", file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("exists");

    const occupied = path.join(dir, "occupied");
    fs.mkdirSync(occupied);
    fs.writeFileSync(path.join(occupied, "keep.txt"), "mine");
    const refused = await run("scripts/restore.ts", ["--from", file, "--data-dir", occupied]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is not empty");
    expect(fs.readdirSync(occupied)).toEqual(["keep.txt"]);

    const damaged = path.join(dir, "backups", "damaged.tar.gz");
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(damaged, bytes);
    fs.copyFileSync(`${file}.json`, `${damaged}.json`);
    const bad = await run("scripts/restore.ts", ["--from", damaged, "--data-dir", path.join(dir, "from-damaged")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("damaged");
    expect(fs.existsSync(path.join(dir, "from-damaged"))).toBe(false);
  });
});
