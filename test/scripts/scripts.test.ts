import { spawn } from "node:child_process";
import crypto from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import knexFactory from "knex";
import { migrations } from "../../db/migrations";
import { withDatabase } from "../helpers/global-setup";
import { onRealPostgres } from "../helpers/test-db";

/** `npm run migrate` (tsx scripts/migrate.ts) against a new, empty database of either kind. */
// Each test starts real processes (tsx compiles on start): on a loaded two-core machine one start
// can take 20 s, so 60 s was too little; what the tests check is unchanged.
jest.setTimeout(240_000);
const ROOT = path.join(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

let env: Record<string, string>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development" };
  delete base.NODE_OPTIONS;
  delete base.DATABASE_URL;
  if (onRealPostgres) {
    const url = process.env.DATABASE_URL ?? "";
    const name = `cef_test_mig_${crypto.randomBytes(6).toString("hex")}`;
    const admin = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
    await admin.raw(`CREATE DATABASE ${name}`);
    env = { ...(base as Record<string, string>), DATABASE_URL: withDatabase(url, name) };
    cleanup = async () => {
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cef-migrate-"));
    env = { ...(base as Record<string, string>), DATA_DIR: dir };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(async () => {
  await cleanup();
});

async function migrate(...args: string[]) {
  const child = spawn(TSX, ["scripts/migrate.ts", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}

test("npm run migrate applies every migration to a new database, then has nothing to do; --down-all undoes them all", async () => {
  const names = migrations.map((m) => m.name);

  const first = await migrate();
  expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: "" });
  expect(first.stdout).toContain(`${names.length} migration(s) applied`);
  for (const name of names) expect(first.stdout).toContain(name);

  const second = await migrate();
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/^Nothing to do/);

  const down = await migrate("--down-all");
  expect(down.code).toBe(0);
  expect(down.stdout).toContain(`${names.length} migration(s) rolled back`);
});

test("a broken configuration stops the script with a message that names the setting", async () => {
  const child = spawn(TSX, ["scripts/migrate.ts"], { cwd: ROOT, env: { ...env, DB_POOL_MAX: "lots" }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const [code] = (await once(child, "exit")) as [number | null];
  expect(code).toBe(1);
  expect(stderr).toContain("DB_POOL_MAX");
});
