/**
 * Soak: mixed traffic from several clients against the real server process for a while, to see
 * that it keeps answering, makes no 5xx, and does not grow without bound. Not a test.
 *
 *   npm run soak                       # 10 minutes, 6 clients, a new embedded database
 *   npm run soak -- --minutes 3 --clients 4
 *   DATABASE_URL=postgres://…/soak npm run soak   # against PostgreSQL (writes test data there)
 *
 * Starts the built server (`node dist/api/server.js`, as `npm start`) on port 0 (a temporary data directory unless DATABASE_URL is set),
 * creates a court and a clerk, a finance officer and an inspector, then runs the clients: cases and
 * receipts written, cases, lists, reconciliation and reports read, CSV exports downloaded (some
 * abandoned half-way), the public lookup and /readyz. Prints throughput, status counts, latency and
 * the server's memory (from /metrics) at the start and the end.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const MINUTES = Number(arg("minutes", "10"));
const CLIENTS = Number(arg("clients", "6"));
if (!(MINUTES > 0) || !Number.isInteger(CLIENTS) || CLIENTS < 1) throw new Error("--minutes must be positive and --clients a whole number of at least 1");

const ROOT = path.join(__dirname, "..");
const ADMIN_TOKEN = "soak-bootstrap-" + crypto.randomBytes(24).toString("hex");
const out = (line: string) => process.stdout.write(line + "\n");

interface Answer {
  status: number;
  body: string;
  bytes: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS * 2 });

function call(port: number, method: string, urlPath: string, token: string | null, body?: unknown, opts: { headers?: Record<string, string>; abortAfterBytes?: number } = {}): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: urlPath,
        agent: opts.abortAfterBytes ? false : agent,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(payload ? { "Content-Type": "application/json" } : {}), ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on("data", (c: Buffer) => {
          bytes += c.length;
          if (!opts.abortAfterBytes) chunks.push(c);
          else if (bytes >= opts.abortAfterBytes) {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, body: "", bytes });
          }
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), bytes }));
        res.on("error", () => resolve({ status: res.statusCode ?? 0, body: "", bytes }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

interface Stats {
  count: number;
  statuses: Map<number, number>;
  failures: number;
  latencies: number[];
}
const stats = new Map<string, Stats>();
function record(action: string, ms: number, status: number | "network") {
  let s = stats.get(action);
  if (!s) stats.set(action, (s = { count: 0, statuses: new Map(), failures: 0, latencies: [] }));
  s.count++;
  s.latencies.push(ms);
  if (status === "network") s.failures++;
  else s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
}

async function memory(port: number): Promise<{ rssMb: string; heapMb: string }> {
  const res = await call(port, "GET", "/metrics", null);
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)`, "m").exec(res.body)?.[1] ?? NaN);
  const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
  return { rssMb: mb(metric("process_resident_memory_bytes")), heapMb: mb(metric("nodejs_heap_size_used_bytes")) };
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
/** An amount as a string of yuan and fen, from whole fen: never a floating-point number. */
const amount = () => {
  const fen = 100 + crypto.randomInt(5_000_000);
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
};

async function main() {
  const dataDir = process.env.DATABASE_URL ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "cef-soak-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: "0",
    NODE_ENV: "development",
    DEMO_SEED: "0",
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
    PUBLIC_RATE_LIMIT_PER_MINUTE: "1000000",
    ...(dataDir ? { DATA_DIR: dataDir } : {}),
  };
  delete env.NODE_OPTIONS;
  const build = require("./build-api") as { buildApi(): void; SERVER_NODE_FLAGS: string[] };
  build.buildApi();
  const server = spawn(process.execPath, [...build.SERVER_NODE_FLAGS, "dist/api/server.js"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let serverErrors = 0;
  let stderr = "";
  const port = await new Promise<number>((resolve, reject) => {
    let partial = "";
    server.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      partial += chunk;
      const lines = partial.split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        const m = /Court enforcement funds tracker on http:\/\/localhost:(\d+)/.exec(line);
        if (m) resolve(Number(m[1]));
        if (line.includes('"level":50') || line.includes('"level":60')) serverErrors++;
      }
    });
    server.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    server.on("exit", (code) => reject(new Error(`the server exited (${code}) before listening:\n${stderr}`)));
  });

  try {
    const admin = ADMIN_TOKEN;
    const court = JSON.parse((await call(port, "POST", "/v1/courts", admin, { code: `SOAK${Date.now().toString(36).toUpperCase()}`.slice(0, 12), name: "压力测试法院" })).body) as { id: string };
    const user = async (role: string) => {
      const res = await call(port, "POST", "/v1/users", admin, { name: `soak ${role}`, roles: [role], courtIds: [court.id] });
      if (res.status !== 201) throw new Error(`user ${role}: ${res.status} ${res.body}`);
      return (JSON.parse(res.body) as { token: string }).token;
    };
    const clerk = await user("clerk");
    const finance = await user("finance");
    const inspector = await user("inspector");
    const cases: string[] = [];
    let seq = 0;
    const newCase = () => {
      seq++;
      return {
        courtId: court.id,
        caseNumber: `(2024)湘1129执${process.pid}${seq}号`,
        cause: "借款合同纠纷",
        filedOn: "2024-01-15",
        adjudicatedAmount: "900000.00",
        applicants: [{ name: `申请人${seq}`, kind: "person", idNumber: "431129198001011234", bankAccount: { bankName: "中国农业银行江华支行", accountName: `申请人${seq}`, accountNumber: "6228480123456789012" } }],
        debtors: [{ name: `被执行人${seq}`, kind: "person", idNumber: "431129197505052345" }],
      };
    };
    for (let i = 0; i < 20; i++) {
      const res = await call(port, "POST", "/v1/cases", clerk, newCase());
      if (res.status === 201) cases.push((JSON.parse(res.body) as { id: string }).id);
    }

    const q = `courtId=${court.id}`;
    const actions: [string, number, () => Promise<Answer>][] = [
      ["POST case", 2, async () => {
        const res = await call(port, "POST", "/v1/cases", clerk, newCase());
        if (res.status === 201) cases.push((JSON.parse(res.body) as { id: string }).id);
        return res;
      }],
      ["POST receipt", 4, () => call(port, "POST", `/v1/cases/${pick(cases)}/receipts`, clerk, { amount: amount(), receivedOn: "2024-03-01", source: "voluntary" }, { headers: { "Idempotency-Key": crypto.randomUUID() } })],
      ["GET case", 4, () => call(port, "GET", `/v1/cases/${pick(cases)}`, finance)],
      ["GET cases list", 2, () => call(port, "GET", `/v1/cases?${q}&limit=50`, clerk)],
      ["GET reconciliation", 1, () => call(port, "GET", `/v1/reconciliation?${q}`, finance)],
      ["GET held-funds report", 1, () => call(port, "GET", `/v1/reports/held-funds?${q}&asOf=2024-06-30`, inspector)],
      ["GET disbursements report", 1, () => call(port, "GET", `/v1/reports/disbursements?${q}&from=2024-01-01&to=2024-12-31`, inspector)],
      ["GET held-funds CSV", 1, () => call(port, "GET", `/v1/reports/held-funds?${q}&asOf=2024-06-30&format=csv`, inspector)],
      ["GET held-funds CSV, abandoned", 1, () => call(port, "GET", `/v1/reports/held-funds?${q}&asOf=2024-06-30&format=csv`, inspector, undefined, { abortAfterBytes: 64 })],
      ["GET public lookup", 1, () => call(port, "GET", `/v1/public/dishonest-debtors?name=${encodeURIComponent("被执行人")}`, null)],
      ["GET /readyz", 1, () => call(port, "GET", "/readyz", null)],
    ];
    const weighted = actions.flatMap((a) => Array.from({ length: a[1] }, () => a));

    const memStart = await memory(port);
    out(`Soak: ${CLIENTS} clients for ${MINUTES} min against ${dataDir ? "the embedded database" : "PostgreSQL"} on ${os.cpus().length} CPU(s), Node ${process.version}`);
    out(`  server memory at start: RSS ${memStart.rssMb} MB, heap used ${memStart.heapMb} MB`);
    const started = Date.now();
    const until = started + MINUTES * 60_000;
    let lastReport = started;
    const client = async () => {
      while (Date.now() < until) {
        const [name, , act] = pick(weighted);
        const t0 = performance.now();
        try {
          const res = await act();
          record(name, performance.now() - t0, res.status);
        } catch {
          record(name, performance.now() - t0, "network");
        }
        if (Date.now() - lastReport >= 60_000) {
          lastReport = Date.now();
          const total = [...stats.values()].reduce((n, s) => n + s.count, 0);
          const m = await memory(port).catch(() => ({ rssMb: "?", heapMb: "?" }));
          out(`  ${((Date.now() - started) / 60_000).toFixed(1)} min: ${total} requests, RSS ${m.rssMb} MB, heap ${m.heapMb} MB`);
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const seconds = (Date.now() - started) / 1000;
    const memEnd = await memory(port);

    const total = [...stats.values()].reduce((n, s) => n + s.count, 0);
    const all = [...stats.values()];
    const count = (pred: (status: number) => boolean) => all.reduce((n, s) => n + [...s.statuses].filter(([st]) => pred(st)).reduce((m, [, c]) => m + c, 0), 0);
    const pct = (xs: number[], p: number) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(0) : "-";
    };
    out(`  ${total} requests in ${seconds.toFixed(0)} s: ${(total / seconds).toFixed(1)} requests/s`);
    out(`  2xx ${count((s) => s < 300)}, 4xx ${count((s) => s >= 400 && s < 500)}, 5xx ${count((s) => s >= 500)}, network errors ${all.reduce((n, s) => n + s.failures, 0)}; server error log lines ${serverErrors}`);
    out(`  ${cases.length} cases in the court at the end`);
    for (const [name, s] of [...stats].sort((a, b) => a[0].localeCompare(b[0]))) {
      const statuses = [...s.statuses].sort((a, b) => a[0] - b[0]).map(([st, c]) => `${st}×${c}`).join(" ");
      out(`    ${name.padEnd(30)} ${String(s.count).padStart(6)}  p50 ${pct(s.latencies, 50).padStart(5)} ms  p95 ${pct(s.latencies, 95).padStart(5)} ms  ${statuses}${s.failures ? ` network×${s.failures}` : ""}`);
    }
    out(`  server memory at end:   RSS ${memEnd.rssMb} MB, heap used ${memEnd.heapMb} MB`);
    const ready = await call(port, "GET", "/readyz", null);
    out(`  /readyz at the end: ${ready.status}`);
  } finally {
    agent.destroy();
    server.kill("SIGTERM");
    await new Promise((resolve) => server.on("exit", resolve));
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`Soak failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
