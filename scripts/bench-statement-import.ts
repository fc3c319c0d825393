/**
 * Benchmark: importing one bank statement of 10,000 lines through the real HTTP API, in one
 * transaction, on the embedded database (fresh in-memory PGlite) or, with DATABASE_URL, on a
 * fresh database on that server (dropped after). Not a test: figures go into docs/benchmarks.md.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/bench-statement-import.ts [--lines 10000] [--cases 1000]
 */
import { MoneyDecimal } from "../api/core/money";
import { generateStatement, type GeneratedLine } from "../api/statements/statement-generator";
import { CCB_ACCOUNT_DETAIL } from "../api/statements/statement-layouts";
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

const MASTER = { bankName: "中国建设银行江华支行", accountName: "江华瑶族自治县人民法院", accountNumber: "43050101040012345" };

async function main() {
  const lineCount = Number(arg("lines", "10000"));
  const caseCount = Number(arg("cases", "1000"));
  const { db, label, drop } = await openDatabase();
  try {
    await migrateLatest(db.knex);
    const config = loadConfig({ NODE_ENV: "test" });
    const app = createApp({ db, config, logger: createLogger("silent") });
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const admin = await runSystemWrite({ knex: db.knex, config, log: createLogger("silent") }, "bench", (ctx) => createUser(ctx, { name: "bench admin", roles: ["admin"], courtIds: [] }));
    const adminToken = admin.token as string;
    const court = await call(base, adminToken, "POST", "/v1/courts", { code: `S${Date.now() % 100000}`, name: "Bench court" });
    await call(base, adminToken, "PATCH", `/v1/courts/${court.id}`, { masterAccount: MASTER, virtualAccountPrefix: "430501" });
    const clerk = await call(base, adminToken, "POST", "/v1/users", { name: "bench clerk", roles: ["clerk"], courtIds: [court.id] });
    const finance = await call(base, adminToken, "POST", "/v1/users", { name: "bench finance", roles: ["finance"], courtIds: [court.id] });
    const cases: { id: string; va: string; number: string }[] = [];
    for (let i = 0; i < caseCount; i++) {
      const number = `(2024)湘1129执${i + 1}号`;
      const c = await call(base, clerk.token as string, "POST", "/v1/cases", {
        courtId: court.id, caseNumber: number, cause: "bench", filedOn: "2024-01-01", adjudicatedAmount: "9999999.99",
        applicants: [{ name: "A", kind: "person" }], debtors: [{ name: "D", kind: "person" }],
      });
      cases.push({ id: c.id as string, va: c.virtualAccountNumber as string, number });
      if (i % 200 === 0) process.stderr.write(`  cases ${i}/${caseCount}\r`);
    }
    // 60% by virtual account, 20% by case number in the remark, 15% unidentified, 5% debits.
    const lines: GeneratedLine[] = [];
    for (let i = 0; i < lineCount; i++) {
      const day = `2024-03-${String(1 + (i % 28)).padStart(2, "0")}`;
      const c = cases[i % cases.length];
      const kind = i % 20;
      const ref = `BENCH${String(i).padStart(8, "0")}`;
      if (kind === 19) lines.push({ valueDate: day, direction: "debit", amount: new MoneyDecimal("1.00"), remark: "手续费", bankReference: ref });
      else if (kind >= 16) lines.push({ valueDate: day, direction: "credit", amount: new MoneyDecimal("88.88"), remark: "不明款", counterpartyName: "某人", bankReference: ref });
      else if (kind >= 12) lines.push({ valueDate: day, direction: "credit", amount: new MoneyDecimal("123.45"), remark: `${c.number.replace("(", "（").replace(")", "）")}执行款`, counterpartyName: "某公司", bankReference: ref });
      else lines.push({ valueDate: day, direction: "credit", amount: new MoneyDecimal("1000.00"), virtualAccount: c.va, counterpartyName: "某公司", bankReference: ref });
    }
    lines.sort((a, b) => (a.valueDate < b.valueDate ? -1 : a.valueDate > b.valueDate ? 1 : 0));
    const file = await generateStatement({ layout: CCB_ACCOUNT_DETAIL, account: { number: MASTER.accountNumber, name: MASTER.accountName }, lines, openingBalance: new MoneyDecimal("100000.00") }, { kind: "csv", encoding: "gb18030" });
    const runs: { label: string; seconds: number; answer: Record<string, unknown> }[] = [];
    for (const pass of ["first import", "same file again", "overlapping file (every line known)"]) {
      const body = pass.startsWith("overlapping") ? Buffer.concat([file, Buffer.from("\r\n")]) : file;
      const started = process.hrtime.bigint();
      const res = await fetch(`${base}/v1/bank-statements?courtId=${court.id}&layout=ccb-account-detail`, { method: "POST", headers: { Authorization: `Bearer ${finance.token}`, "Content-Type": "text/csv" }, body: new Uint8Array(body) });
      const answer = (await res.json()) as Record<string, unknown>;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (res.status !== 200) throw new Error(`${pass}: ${res.status} ${JSON.stringify(answer)}`);
      runs.push({ label: pass, seconds, answer });
    }
    process.stdout.write(`\n${label}: a ${lineCount}-line CCB statement (GB18030 CSV, ${(file.length / 1048576).toFixed(1)} MB) over ${caseCount} cases, through HTTP, one transaction\n`);
    process.stdout.write(`| database | run | seconds | lines | matched | unidentified | duplicates | debits |\n|---|---|---|---|---|---|---|---|\n`);
    for (const r of runs) {
      const a = r.answer;
      process.stdout.write(`| ${label} | ${r.label} | ${r.seconds.toFixed(2)} | ${a.lines} | ${a.matched} | ${a.unidentified} | ${a.duplicates} | ${a.debits} |\n`);
    }
    const rec = await call(base, finance.token as string, "GET", `/v1/reconciliation?courtId=${court.id}`);
    process.stdout.write(`reconciliation: bank ${rec.bankBalance}, cases ${rec.caseBalancesTotal}, unclaimed ${rec.unclaimedTotal}, difference ${rec.difference}\n`);
    await new Promise<void>((r) => server.close(() => r()));
  } finally {
    await drop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
