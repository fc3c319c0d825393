/**
 * Benchmark (issue 16): the disbursement report on a generated court with a million payouts, on
 * real PostgreSQL (DATABASE_URL; a fresh database is created and dropped). The data is generated
 * set-wise in SQL (consistent journal, balances and items), not through the API, which would take
 * hours for a million payouts.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/bench-report.ts [--payouts 1000000] [--runs 3] [--plan]
 *
 * Prints, for two periods, the report through the real HTTP server (as an inspector's client gets
 * it: sign-in check, row-level security, the JSON) against the report's own SQL — captured from the
 * service and run directly with a plain client, as the owner and again under row-level security —
 * and their ratio (the target: within 1.2×); then the CSV and XLSX export of every payout through
 * the server with this process's peak RSS (the target: under 200 MB; the client here only counts
 * the bytes), and with --plan the query plan of the report's core.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import knexFactory, { type Knex } from "knex";
import pg from "pg";
import { loadConfig } from "../api/config";
import { createLogger } from "../api/logger";
import { periodPayoutsSql } from "../api/reports/disbursements-query";
import { disbursementReport } from "../api/reports/disbursements-service";
import { inReportTransaction, REPORT_WORK_MEM } from "../api/reports/export";
import { runSystemWrite } from "../api/runner/runner";
import { createUser } from "../api/users/users-service";
import { APP_ROLE } from "../db/transaction";
import { connectPostgres, type Database } from "../db/connection";
import { migrateLatest } from "../db/migrate";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const flag = (name: string) => process.argv.includes(`--${name}`);
const log = (msg: string) => process.stdout.write(msg + "\n");
const seconds = (start: bigint) => (Number(process.hrtime.bigint() - start) / 1e9).toFixed(2);

async function open(): Promise<{ db: Database; url: string; label: string; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write("bench-report measures against PostgreSQL (its SQL is also run directly there): set DATABASE_URL\n");
    process.exit(2);
  }
  const name = `cef_bench_report_${Date.now()}`;
  const admin = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = connectPostgres({ url: u.toString(), statementTimeoutMs: 3_600_000 });
  return {
    db,
    url: u.toString(),
    label: "PostgreSQL 15",
    drop: async () => {
      await db.close();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

/** One court; `cases` cases with two receipts each; payouts spread over 2023-2024, 1,000 per batch. */
async function generate(knex: Knex, payouts: number, perCase: number): Promise<string> {
  const cases = Math.ceil(payouts / perCase);
  const batches = Math.ceil(payouts / 1000);
  const court = "00000000-0000-4000-8000-00000000c0de";
  const user = "00000000-0000-4000-8000-0000000000a1";
  const approver = "00000000-0000-4000-8000-0000000000a2";
  const finance = "00000000-0000-4000-8000-0000000000a3";
  const id = (kind: string, expr: string) => `md5('${kind}' || (${expr}))::uuid`;
  const steps: [string, string][] = [
    ["court and users", `INSERT INTO courts (id, code, name) VALUES ('${court}', 'BIG', 'Generated court')`],
    ["", `INSERT INTO users (id, name, roles, username) VALUES ('${user}', 'clerk', '{clerk}', 'bench-clerk'), ('${approver}', 'approver', '{approver}', 'bench-approver'), ('${finance}', 'finance', '{finance}', 'bench-finance')`],
    [`${cases} cases`, `INSERT INTO cases (id, court_id, case_number, case_number_key, cause, filed_on, adjudicated_amount, created_by)
       SELECT ${id("case", "g")}, '${court}', '(2023)湘1129执' || g || '号', '(2023)湘1129执' || g || '号', 'generated', DATE '2022-06-01', 1000000.00, '${user}'
         FROM generate_series(1, ${cases}) g`],
    ["", `INSERT INTO parties (id, court_id, case_id, role, name, kind, bank_name, bank_account_name, bank_account_number, position)
       SELECT ${id("party", "g")}, '${court}', ${id("case", "g")}, 'applicant', '申请人' || g, 'person', '农业银行', '申请人' || g, lpad(g::text, 19, '6'), 0
         FROM generate_series(1, ${cases}) g`],
    [`${cases * 2} receipts`, `INSERT INTO receipts (id, court_id, case_id, amount, received_on, disburse_by, source, created_by)
       SELECT ${id("receipt", "g || '-' || k")}, '${court}', ${id("case", "g")}, 500000.00, d, d + 30, 'deduction', '${user}'
         FROM generate_series(1, ${cases}) g, generate_series(1, 2) k,
              LATERAL (SELECT DATE '2022-12-01' + ((g * 7 + k * 200) % 700) AS d) dd`],
    ["receipt journal", `INSERT INTO journal_entries (id, court_id, case_id, kind, amount, effective_on, receipt_id, created_by)
       SELECT md5('je' || r.id::text)::uuid, r.court_id, r.case_id, 'receipt', r.amount, r.received_on, r.id, '${user}' FROM receipts r ORDER BY r.received_on`],
    ["", `INSERT INTO journal_lines (entry_seq, line_no, court_id, case_id, account, amount)
       SELECT e.seq, l.n, e.court_id, CASE WHEN l.n = 2 THEN e.case_id END, CASE WHEN l.n = 1 THEN 'court_bank' ELSE 'case_held' END,
              CASE WHEN l.n = 1 THEN e.amount ELSE -e.amount END
         FROM journal_entries e, (VALUES (1), (2)) l(n) WHERE e.kind = 'receipt'`],
    [`${batches} batches`, `INSERT INTO payout_batches (id, court_id, status, note, item_count, case_count, total_amount, created_by, submitted_by, submitted_at, approved_by, approved_at, executed_by, executed_at, paid_on)
       SELECT ${id("batch", "b")}, '${court}', 'executed', 'generated', 1000, 1000, 1.00, '${user}', '${user}', now(), '${approver}', now(), '${finance}', now(), DATE '2023-01-02' + (b % 700)
         FROM generate_series(0, ${batches - 1}) b`],
    [`${payouts} payout items`, `INSERT INTO payout_items (id, court_id, batch_id, position, case_id, party_id, amount, status, payee_name, payee_bank_name, payee_account_name, payee_account_number)
       SELECT ${id("item", "i")}, '${court}', ${id("batch", "(i / 1000)")}, i % 1000, ${id("case", "(i % " + cases + ") + 1")}, ${id("party", "(i % " + cases + ") + 1")},
              (100 + (i::bigint * 7919) % 90000) / 100.0, 'paid', '申请人', '农业银行', '申请人', '6228480000000000000'
         FROM generate_series(0, ${payouts - 1}) i`],
    ["payout journal", `INSERT INTO journal_entries (id, court_id, case_id, kind, amount, effective_on, payout_item_id, created_by)
       SELECT md5('je' || i.id::text)::uuid, i.court_id, i.case_id, 'payout', i.amount, b.paid_on, i.id, '${finance}'
         FROM payout_items i JOIN payout_batches b ON b.id = i.batch_id ORDER BY b.paid_on, i.position`],
    ["", `INSERT INTO journal_lines (entry_seq, line_no, court_id, case_id, account, amount)
       SELECT e.seq, l.n, e.court_id, CASE WHEN l.n = 2 THEN e.case_id END, CASE WHEN l.n = 1 THEN 'court_bank' ELSE 'case_held' END,
              CASE WHEN l.n = 1 THEN -e.amount ELSE e.amount END
         FROM journal_entries e, (VALUES (1), (2)) l(n) WHERE e.kind = 'payout'`],
    ["balances", `INSERT INTO case_balances (case_id, court_id, received, disbursed, held, reserved, first_received_on)
       SELECT c.id, c.court_id, r.total, coalesce(p.total, 0), r.total - coalesce(p.total, 0), 0, r.first
         FROM cases c
         JOIN (SELECT case_id, sum(amount) total, min(received_on) first FROM receipts GROUP BY case_id) r ON r.case_id = c.id
         LEFT JOIN (SELECT case_id, sum(amount) total FROM payout_items GROUP BY case_id) p ON p.case_id = c.id`],
    ["vacuum analyze", "VACUUM ANALYZE"],
  ];
  for (const [label, sql] of steps) {
    const start = process.hrtime.bigint();
    await knex.raw(sql);
    if (label) log(`  generated ${label} in ${seconds(start)} s`);
  }
  return court;
}

/** Peak resident memory of a process since the last reset (Linux: VmHWM, reset through clear_refs). */
function resetPeakRss(pid: number): void {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
}
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The build `npm start` runs (made first if a source is newer), whose entry point it returns. */
function buildApiFirst(): string[] {
  const build = require("./build-api") as { buildApi(): void; ENTRY: string; SERVER_NODE_FLAGS: string[] };
  build.buildApi();
  return flag("plain-node") ? [build.ENTRY] : [...build.SERVER_NODE_FLAGS, build.ENTRY];
}

/** The real server, as `npm start` runs it (node dist/api/server.js), on the benchmark's database. */
async function startServerProcess(databaseUrl: string): Promise<{ base: string; pid: number; stop(): void }> {
  // The XLSX's summary is the report over the whole two years of a million payouts: on this 2-core
  // machine under load that statement can outrun the default 30 s limit (then a 503), so the
  // benchmark's server allows 10 minutes.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: "0", DEMO_SEED: "0", LOG_LEVEL: "info", NODE_ENV: "development", DB_STATEMENT_TIMEOUT_MS: "600000" };
  delete env.NODE_OPTIONS;
  // --server-flags "--max-semi-space-size=4": V8 flags for the server process (a trial of memory settings).
  const flags = arg("server-flags", "").split(" ").filter(Boolean);
  // --server-tsx: the TypeScript through tsx instead of the build (what `npm start` ran before);
  // --plain-node: the build without the service's node flags (scripts/build-api.js).
  const entry = flag("server-tsx") ? ["--import", "tsx", path.join(__dirname, "..", "api", "server.ts")] : buildApiFirst();
  const child = spawn(process.execPath, [...flags, ...entry], { env, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let partial = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      partial += chunk;
      const lines = partial.split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        const m = /"port":(\d+).*"msg":"listening"/.exec(line);
        if (m) resolve(Number(m[1]));
        if (/"level":(50|60)/.test(line)) process.stderr.write(`server: ${line.slice(0, 2000)}\n`);
      }
    });
    child.on("exit", (code) => reject(new Error(`the server exited (${code}) before it listened`)));
  });
  child.stdout.resume();
  return { base: `http://127.0.0.1:${port}`, pid: child.pid as number, stop: () => child.kill("SIGTERM") };
}

/** GET through the real HTTP server; the body is counted, not kept. */
function fetchCounting(url: string, token: string): Promise<{ status: number; bytes: number; ms: number; text?: string }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      const keep: Buffer[] = [];
      const json = (res.headers["content-type"] ?? "").startsWith("application/json");
      res.on("data", (c: Buffer) => {
        bytes += c.length;
        if (json) keep.push(c);
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes, ms: Number(process.hrtime.bigint() - started) / 1e6, text: json ? Buffer.concat(keep).toString() : undefined }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const payouts = Number(arg("payouts", "1000000"));
  const runs = Number(arg("runs", "3"));
  const { db, url, label, drop } = await open();
  try {
    await migrateLatest(db.knex);
    log(`${label}: generating a court with ${payouts} payouts`);
    const start = process.hrtime.bigint();
    const court = await generate(db.knex, payouts, 10);
    log(`  generated everything in ${seconds(start)} s`);

    const config = loadConfig({ NODE_ENV: "test" });
    const inspector = await runSystemWrite({ knex: db.knex, config, log: createLogger("silent") }, "bench", (ctx) =>
      createUser(ctx, { name: "bench inspector", roles: ["inspector"], courtIds: [court] }),
    );
    const token = inspector.token as string;
    const server = await startServerProcess(url);
    const base = server.base;

    // The report's own SQL, as the service sends it, captured once and then run directly.
    const captured: { sql: string; bindings: unknown[] }[] = [];
    const capture = (q: { sql: string; bindings?: unknown[] }) => captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
    db.knex.on("query", capture);
    await disbursementReport(db.knex, { courtIds: [court], from: "2024-01-01", to: "2024-06-30" });
    db.knex.off("query", capture);
    const reportSql = captured.filter((q) => !/^(BEGIN|COMMIT|ROLLBACK|SET )/i.test(q.sql.trim()));

    const table: string[] = [];
    for (const [from, to] of [["2024-03-11", "2024-04-23"], ["2024-01-01", "2024-06-30"]]) {
      const api: number[] = [];
      const raw: number[] = [];
      const rawFenced: number[] = [];
      let summary = "";
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query("SET TIME ZONE 'Asia/Shanghai'");
      const runRaw = async (fenced: boolean) => {
        const t0 = process.hrtime.bigint();
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        if (fenced) await client.query("SELECT set_config('role', $1, true), set_config('app.court_ids', $2, true)", [APP_ROLE, `{${court}}`]);
        await client.query(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
        for (const q of reportSql) {
          const bindings = q.bindings.map((b) => (b === "2024-01-01" ? from : b === "2024-06-30" ? to : b));
          await client.query(q.sql, bindings);
        }
        await client.query("COMMIT");
        return Number(process.hrtime.bigint() - t0) / 1e6;
      };
      for (let run = 1; run <= runs; run++) {
        const r = await fetchCounting(`${base}/v1/reports/disbursements?courtId=${court}&from=${from}&to=${to}`, token);
        if (r.status !== 200) throw new Error(`the report answered ${r.status}: ${r.text ?? ""}`);
        summary = (JSON.parse(r.text ?? "{}") as { summary?: { en?: string } }).summary?.en ?? "";
        api.push(r.ms);
        raw.push(await runRaw(false));
        rawFenced.push(await runRaw(true));
      }
      await client.end();
      table.push(
        `| ${from}..${to} (${summary}) | ${api.map((x) => x.toFixed(0)).join(" / ")} | ${raw.map((x) => x.toFixed(0)).join(" / ")} | ${rawFenced.map((x) => x.toFixed(0)).join(" / ")} | ${(median(api) / median(raw)).toFixed(2)} |`,
      );
    }
    log("\n| period | HTTP report (ms, each run) | its SQL run directly, as the owner (ms) | the same under row-level security (ms) | HTTP ÷ SQL (medians) |");
    log("|---|---:|---:|---:|---:|");
    log(table.join("\n"));

    // Every payout of the court, exported through the server: time, size and this process's peak RSS.
    log("\n| export of every payout (2023-01-01..2024-12-31) | rows | size | time | peak RSS of the serving process |");
    log("|---|---:|---:|---:|---:|");
    for (const format of ["csv", "xlsx"]) {
      (globalThis as { gc?: () => void }).gc?.();
      resetPeakRss(server.pid);
      const before = peakRssMb(server.pid);
      const r = await fetchCounting(`${base}/v1/reports/disbursements?courtId=${court}&from=2023-01-01&to=2024-12-31&format=${format}`, token);
      if (r.status !== 200) throw new Error(`the ${format} export answered ${r.status}`);
      log(`| ${format.toUpperCase()} | ${payouts} | ${(r.bytes / 1e6).toFixed(0)} MB | ${(r.ms / 1000).toFixed(1)} s | ${peakRssMb(server.pid).toFixed(0)} MB (${before.toFixed(0)} MB before) |`);
    }
    server.stop();

    // The plan as the report runs it: inside its read-only transaction, with its work_mem.
    const period = { courtIds: [court], from: "2024-01-01", to: "2024-06-30" };
    const { rows: plan } = await inReportTransaction(db.knex, (tx) =>
      tx.raw<{ rows: { "QUERY PLAN": string }[] }>(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${tx.raw(`WITH detail AS (${periodPayoutsSql()}) SELECT count(*), sum(amount) FROM detail`, period).toQuery()}`,
      ),
    );
    if (flag("plan")) log("\n  plan of the period's payouts (the report's core):\n" + plan.map((r) => "    " + r["QUERY PLAN"]).join("\n"));
  } finally {
    await drop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
