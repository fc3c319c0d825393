/**
 * `npm run bench` (issue 16): what the API gets out of the database, measured in one run.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench [-- --receipts 3000 --seconds 15 --runs 3 --report --batch]
 *
 * 1. Receipts through the real HTTP server on PostgreSQL at 1, 4 and 16 clients (a fresh database,
 *    200 cases of one court), with the round trips to the database each costs (on PostgreSQL BEGIN
 *    and COMMIT travel with their neighbours: db/transaction.ts) and, at 1 client, the median server
 *    time (from the request's arrival to the end of its answer, measured inside the server).
 * 2. pgbench on the same server, in the same run, with the same kind of transaction: lock a balance
 *    row FOR UPDATE, insert a journal entry and its two lines, update the balance.
 * 3. Their ratio at 16 clients (target ≥ 25%).
 * 4. With --report: scripts/bench-report.ts on a generated court of --payouts (default 1,000,000):
 *    the report over HTTP against its own SQL, and the CSV/XLSX export with peak RSS.
 * 5. With --batch: scripts/bench-batch.ts, a --items (default 10,000) batch's execute through the API
 *    against one set-based SQL script.
 *
 * The HTTP clients run in a child process (`--same-process-client` puts them in the server's, as
 * scripts/bench-receipts.ts does), so the server's event loop serves requests only.
 *
 * Not a test: figures go into docs/benchmarks.md by hand, with the date and the machine.
 */
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import inspector from "node:inspector";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import knexFactory from "knex";
import { createApp } from "../api/app";
import { loadConfig } from "../api/config";
import { createLogger } from "../api/logger";
import { runSystemWrite } from "../api/runner/runner";
import { createUser } from "../api/users/users-service";
import { connectPostgres } from "../db/connection";
import { migrateLatest } from "../db/migrate";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const flag = (name: string) => process.argv.includes(`--${name}`);
const out = (s: string) => process.stdout.write(s + "\n");

const CLIENTS = arg("clients", "1,4,16").split(",").map(Number);
const CASES = 200;

interface ReceiptRun {
  clients: number;
  receipts: number;
  seconds: number;
  perSecond: number;
  errors: number;
  statements: number;
  medianServerMs: number;
  /** CPU milliseconds per receipt: the server's Node process, and PostgreSQL's processes (Linux /proc; NaN elsewhere). */
  nodeCpuMs: number;
  postgresCpuMs: number;
  /** …and the benchmark's own HTTP client, a Node process on the same machine. */
  clientCpuMs: number;
}

/** CPU milliseconds used so far by every postgres process this user can read (Linux only). */
function postgresCpuMs(): number {
  let ticks = 0;
  try {
    for (const pid of fs.readdirSync("/proc")) {
      if (!/^[0-9]+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue;
      }
      const close = stat.lastIndexOf(")");
      if (!stat.slice(stat.indexOf("(") + 1, close).startsWith("postgres")) continue;
      const fields = stat.slice(close + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    }
  } catch {
    return NaN;
  }
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

function databaseUrl(): URL {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write("npm run bench measures against PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)\n");
    process.exit(2);
  }
  return new URL(url);
}

async function withScratchDatabase<T>(base: URL, prefix: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
  const admin = knexFactory({ client: "pg", connection: base.toString(), pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const u = new URL(base.toString());
  u.pathname = `/${name}`;
  try {
    return await work(u.toString());
  } finally {
    await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.destroy();
  }
}

const separateClient = !flag("same-process-client");

/** The client side of the receipts benchmark in a child process: its error count and the CPU it used (ms). */
function clientProcess(o: { base: string; token: string; cases: string[]; total: number; clients: number }): Promise<{ errors: number; cpuMs: number }> {
  const code = `
    const http = require("node:http"); const crypto = require("node:crypto");
    const o = JSON.parse(process.env.BENCH_CLIENT);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    let next = 0, errors = 0;
    const post = (p) => new Promise((resolve) => {
      const req = http.request(o.base + p, { method: "POST", agent, headers: { Authorization: "Bearer " + o.token, "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() } }, (res) => {
        res.resume(); res.on("end", () => resolve(res.statusCode));
      });
      req.on("error", () => resolve(0));
      req.end(JSON.stringify({ amount: "12.34", receivedOn: "2024-03-01", source: "voluntary" }));
    });
    const worker = async () => { while (next < o.total) { const i = next++; if ((await post("/v1/cases/" + o.cases[i % o.cases.length] + "/receipts")) !== 201) errors++; } };
    Promise.all(Array.from({ length: o.clients }, worker)).then(() => { const u = process.cpuUsage(); process.stdout.write(JSON.stringify({ errors, cpuMs: (u.user + u.system) / 1000 })); agent.destroy(); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", code], { env: { ...process.env, NODE_OPTIONS: "", BENCH_CLIENT: JSON.stringify(o) }, stdio: ["ignore", "pipe", "inherit"] });
    let outText = "";
    child.stdout.on("data", (c: Buffer) => (outText += c.toString()));
    child.on("error", reject);
    child.on("exit", (status) => (status === 0 ? resolve(JSON.parse(outText) as { errors: number; cpuMs: number }) : reject(new Error(`the benchmark client exited with ${status}`))));
  });
}

async function benchReceipts(url: string, receipts: number): Promise<ReceiptRun[]> {
  const db = connectPostgres({ url, poolMax: 16 });
  try {
    await migrateLatest(db.knex);
    const config = loadConfig({ NODE_ENV: "test" });
    const app = createApp({ db, config, logger: createLogger("silent") });
    let serverTimes: number[] = [];
    const server = http.createServer((req, res) => {
      const started = process.hrtime.bigint();
      res.on("finish", () => serverTimes.push(Number(process.hrtime.bigint() - started) / 1e6));
      app(req, res);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const call = async (token: string, method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
        const req = http.request(base + p, { method, agent, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || "{}") as Record<string, unknown> }));
        });
        req.on("error", reject);
        req.end(payload);
      });
    };
    const must = async (token: string, method: string, p: string, body?: unknown) => {
      const r = await call(token, method, p, body);
      if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    const admin = await runSystemWrite({ knex: db.knex, config, log: createLogger("silent") }, "bench", (ctx) => createUser(ctx, { name: "bench admin", roles: ["admin"], courtIds: [] }));
    const adminToken = admin.token as string;
    const court = await must(adminToken, "POST", "/v1/courts", { code: `B${Date.now() % 100000}`, name: "Bench court" });
    const clerk = await runSystemWrite({ knex: db.knex, config, log: createLogger("silent") }, "bench", (ctx) =>
      createUser(ctx, { name: "bench clerk", roles: ["clerk"], courtIds: [court.id as string] }),
    );
    const clerkToken = clerk.token as string;
    const cases: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const c = await must(clerkToken, "POST", "/v1/cases", {
        courtId: court.id,
        caseNumber: `(2024)湘1129执${i + 1}号`,
        cause: "bench",
        filedOn: "2024-01-01",
        adjudicatedAmount: "9999999.99",
        applicants: [{ name: "申请人", kind: "person" }],
        debtors: [{ name: "被执行人", kind: "person" }],
      });
      cases.push(c.id as string);
    }
    // knex's query event fires once per message sent: one round trip each.
    let statements = 0;
    db.knex.on("query", () => statements++);
    const runs: ReceiptRun[] = [];
    for (const clients of CLIENTS) {
      const total = clients === 1 ? Math.min(receipts, 1000) : receipts;
      let next = 0;
      let errors = 0;
      statements = 0;
      serverTimes = [];
      const started = process.hrtime.bigint();
      let clientCpuMs = NaN;
      const profile = arg("profile", "") ? await startProfile() : null;
      const nodeCpuBefore = process.cpuUsage();
      const pgCpuBefore = postgresCpuMs();
      if (separateClient) {
        // The load comes from another process, so that the server's event loop is the server's alone.
        const client = await clientProcess({ base, token: clerkToken, cases, total, clients });
        errors = client.errors;
        clientCpuMs = client.cpuMs / total;
      } else {
        const worker = async () => {
          while (next < total) {
            const i = next++;
            const r = await call(clerkToken, "POST", `/v1/cases/${cases[i % CASES]}/receipts`, { amount: "12.34", receivedOn: "2024-03-01", source: "voluntary" }, { "Idempotency-Key": crypto.randomUUID() });
            if (r.status !== 201) errors++;
          }
        };
        await Promise.all(Array.from({ length: clients }, worker));
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const nodeCpu = process.cpuUsage(nodeCpuBefore);
      if (profile) await profile.stopInto(path.join(arg("profile", ""), `receipts-${clients}-clients.cpuprofile`));
      const nodeCpuMs = (nodeCpu.user + nodeCpu.system) / 1000 / total;
      if (process.env.BENCH_CPU_SPLIT) process.stderr.write(`node user ${(nodeCpu.user / 1000 / total).toFixed(2)} ms, system ${(nodeCpu.system / 1000 / total).toFixed(2)} ms per receipt\n`);
      const pgCpuMs = (postgresCpuMs() - pgCpuBefore) / total;
      const sorted = [...serverTimes].sort((a, b) => a - b);
      runs.push({ clients, receipts: total, seconds, perSecond: total / seconds, errors, statements: statements / total, medianServerMs: sorted[Math.floor(sorted.length / 2)], nodeCpuMs, postgresCpuMs: pgCpuMs, clientCpuMs });
    }
    agent.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    return runs;
  } finally {
    await db.close();
  }
}

/** `--profile DIR`: a V8 CPU profile of the server's process over each measured level, for Chrome's DevTools. */
async function startProfile(): Promise<{ stopInto(file: string): Promise<void> }> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<unknown>((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 500 });
  await post("Profiler.start");
  return {
    async stopInto(file) {
      const { profile } = (await post("Profiler.stop")) as { profile: unknown };
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** The same kind of ledger transaction as a receipt, straight into the server, by pgbench. */
function benchPgbench(url: string, clients: number, seconds: number): number {
  const u = new URL(url);
  // `?host=/var/run/postgresql` (a Unix socket) reaches pgbench the same way it reaches the app.
  const env = { ...process.env, PGHOST: u.searchParams.get("host") ?? u.hostname, PGPORT: u.port || "5432", PGUSER: decodeURIComponent(u.username || "postgres"), PGDATABASE: u.pathname.slice(1) };
  const psql = (sql: string) => {
    const r = spawnSync("psql", ["-q", "-v", "ON_ERROR_STOP=1", "-c", sql], { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  };
  psql(`CREATE TABLE bench_balances (case_id int PRIMARY KEY, held numeric(14,2) NOT NULL DEFAULT 0);
        INSERT INTO bench_balances SELECT g FROM generate_series(1, ${CASES}) g;
        CREATE TABLE bench_entries (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id uuid NOT NULL DEFAULT gen_random_uuid(), case_id int NOT NULL, amount numeric(14,2) NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE bench_lines (entry_seq bigint NOT NULL REFERENCES bench_entries(seq), line_no smallint NOT NULL, account text NOT NULL, amount numeric(14,2) NOT NULL, PRIMARY KEY (entry_seq, line_no));`);
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cef-pgbench-")), "receipt.sql");
  fs.writeFileSync(
    script,
    `\\set c random(1, ${CASES})
BEGIN;
SELECT held FROM bench_balances WHERE case_id = :c FOR UPDATE;
WITH e AS (INSERT INTO bench_entries (case_id, amount) VALUES (:c, 12.34) RETURNING seq)
INSERT INTO bench_lines (entry_seq, line_no, account, amount) SELECT seq, n, a, m FROM e, (VALUES (1, 'court_bank', 12.34), (2, 'case_held', -12.34)) l(n, a, m);
UPDATE bench_balances SET held = held + 12.34 WHERE case_id = :c;
COMMIT;
`,
  );
  const r = spawnSync("pgbench", ["-n", "-c", String(clients), "-j", "2", "-T", String(seconds), "-f", script], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pgbench: ${r.stderr}`);
  const m = /tps = ([0-9.]+)/.exec(r.stdout);
  if (!m) throw new Error(`pgbench printed no tps: ${r.stdout}`);
  return Number(m[1]);
}

async function main() {
  const base = databaseUrl();
  const receipts = Number(arg("receipts", "3000"));
  const seconds = Number(arg("seconds", "15"));
  const runsWanted = Number(arg("runs", "1"));
  out(`npm run bench — ${new Date().toISOString()} — ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  const ratios: number[] = [];
  for (let run = 1; run <= runsWanted; run++) {
    const api = await withScratchDatabase(base, "cef_bench", (url) => benchReceipts(url, receipts));
    const pg = await withScratchDatabase(base, "cef_pgbench", async (url) => benchPgbench(url, 16, seconds));
    out(`\nrun ${run}: receipts through the HTTP API on PostgreSQL (${CASES} cases of one court)`);
    out("| clients | receipts | seconds | receipts/s | errors | round trips per receipt | median server time (ms) | CPU ms per receipt: server / PostgreSQL / client |");
    out("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of api) out(`| ${r.clients} | ${r.receipts} | ${r.seconds.toFixed(2)} | ${r.perSecond.toFixed(0)} | ${r.errors} | ${r.statements.toFixed(1)} | ${r.medianServerMs.toFixed(2)} | ${r.nodeCpuMs.toFixed(2)} / ${r.postgresCpuMs.toFixed(2)} / ${r.clientCpuMs.toFixed(2)} |`);
    const at16 = api.find((r) => r.clients === 16);
    const ratio = at16 ? at16.perSecond / pg : NaN;
    ratios.push(ratio);
    out(`pgbench, 16 clients, ${seconds} s, the same ledger transaction: ${pg.toFixed(0)} tps`);
    out(`API at 16 clients / pgbench: ${(ratio * 100).toFixed(1)}% (target ≥ 25%)`);
  }
  if (ratios.length > 1) out(`\nratio over ${ratios.length} runs: ${ratios.map((r) => (r * 100).toFixed(1) + "%").join(", ")}`);
  if (flag("report")) {
    out("\nthe disbursement report on a generated court (scripts/bench-report.ts)");
    const r = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(__dirname, "bench-report.ts"), "--payouts", arg("payouts", "1000000")], { stdio: "inherit", env: process.env });
    if (r.status !== 0) process.exitCode = 1;
  }
  if (flag("batch")) {
    out("\nexecuting a 10,000-item batch against one set-based SQL script (scripts/bench-batch.ts)");
    const r = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(__dirname, "bench-batch.ts"), "--items", arg("items", "10000"), "--runs", String(runsWanted)], { stdio: "inherit", env: process.env });
    if (r.status !== 0) process.exitCode = 1;
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
