/**
 * Benchmark: receipts through the real HTTP API, on the embedded database (a fresh in-memory
 * PGlite) or, with DATABASE_URL, on a fresh database created on that server and dropped after.
 *
 *   npx tsx scripts/bench-receipts.ts [--receipts 1000] [--cases 50] [--concurrency 1,8]
 *
 * Also prints how many SQL statements (BEGIN and COMMIT included) one receipt costs, counted by
 * knex's query event over the measured requests: the round trips are what the throughput waits on.
 *
 * Prints a markdown table row per concurrency level; figures go into docs/benchmarks.md by hand.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import knexFactory from "knex";
import { createApp } from "../api/app";
import { loadConfig } from "../api/config";
import { createLogger } from "../api/logger";
import { createUser } from "../api/users/users-service";
import { runSystemWrite } from "../api/runner/runner";
import { connectPglite, connectPostgres, type Database } from "../db/connection";
import { migrateLatest } from "../db/migrate";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function openDatabase(): Promise<{ db: Database; label: string; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await connectPglite();
    return { db, label: "PGlite (knex-pglite, in memory)", drop: () => db.close() };
  }
  const name = `cef_bench_${Date.now()}`;
  const admin = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = connectPostgres({ url: u.toString(), poolMax: 16 });
  return {
    db,
    label: "PostgreSQL 15 (pg, pool 16)",
    drop: async () => {
      await db.close();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

async function call(base: string, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function main() {
  const receipts = Number(arg("receipts", "1000"));
  const caseCount = Number(arg("cases", "50"));
  const levels = arg("concurrency", "1,8").split(",").map(Number);
  const { db, label, drop } = await openDatabase();
  try {
    await migrateLatest(db.knex);
    const app = createApp({ db, config: loadConfig({ NODE_ENV: "test" }), logger: createLogger("silent") });
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const admin = await runSystemWrite({ knex: db.knex, config: loadConfig({ NODE_ENV: "test" }), log: createLogger("silent") }, "bench", (ctx) =>
      createUser(ctx, { name: "bench admin", roles: ["admin"], courtIds: [] }),
    );
    const adminToken = admin.token as string;
    const court = await call(base, adminToken, "POST", "/v1/courts", { code: `B${Date.now() % 100000}`, name: "Bench court" });
    const clerk = await call(base, adminToken, "POST", "/v1/users", { name: "bench clerk", roles: ["clerk"], courtIds: [court.id] });
    const cases: string[] = [];
    for (let i = 0; i < caseCount; i++) {
      const c = await call(base, clerk.token as string, "POST", "/v1/cases", {
        courtId: court.id,
        caseNumber: `(2024)湘1129执${i + 1}号`,
        cause: "bench",
        filedOn: "2024-01-01",
        adjudicatedAmount: "9999999.99",
        applicants: [{ name: "A", kind: "person" }],
        debtors: [{ name: "D", kind: "person" }],
      });
      cases.push(c.id as string);
    }
    process.stdout.write(`\n${label}: ${receipts} receipts over ${caseCount} cases, through HTTP\n`);
    let statements = 0;
    const countStatement = (q: { sql?: string }) => {
      statements++;
      if (process.env.BENCH_PRINT_SQL) process.stderr.write(`${q.sql}\n`);
    };
    db.knex.on("query", countStatement);
    process.stdout.write(`| database | concurrency | receipts | seconds | receipts/s | statements per receipt |\n|---|---|---|---|---|---|\n`);
    for (const concurrency of levels) {
      let next = 0;
      let done = 0;
      statements = 0;
      const started = process.hrtime.bigint();
      const worker = async () => {
        while (next < receipts) {
          const i = next++;
          await call(base, clerk.token as string, "POST", `/v1/cases/${cases[i % cases.length]}/receipts`, { amount: "12.34", receivedOn: "2024-03-01", source: "voluntary" }, { "Idempotency-Key": crypto.randomUUID() });
          done++;
          if (done % 250 === 0) process.stderr.write(`  ${done}/${receipts}\r`);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      process.stdout.write(`| ${label} | ${concurrency} | ${receipts} | ${seconds.toFixed(2)} | ${(receipts / seconds).toFixed(0)} | ${(statements / receipts).toFixed(1)} |\n`);
    }
    db.knex.off("query", countStatement);
    await new Promise<void>((r) => server.close(() => r()));
  } finally {
    await drop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
