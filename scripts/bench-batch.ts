/**
 * Benchmark (issue 16): executing a 10,000-item payout batch through the HTTP API against the same
 * work done by one set-based SQL script, on real PostgreSQL.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/bench-batch.ts [--items 10000] [--runs 3]
 *
 * Set-up, through the API: 1,000 cases with a receipt each, one batch of --items items, submitted
 * (the money reserved) and approved. That database becomes a template; each run copies it twice
 * and executes the same approved batch once through `POST /v1/payout-batches/{id}/execute` (as the
 * finance officer's client sees it: the request, its one transaction, the 10,000-item answer) and
 * once by the script below, which does what the operation does — locks the batch and the cases'
 * balances, releases the reservation, posts an entry with two lines per item, moves the balances,
 * marks the items paid and the batch executed, appends the audit event, reads the items back —
 * with no application in between. Prints both and their ratio; the target is at most 2×.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import knexFactory from "knex";
import pg from "pg";
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
const out = (s: string) => process.stdout.write(s + "\n");
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

const CASES = 1000;
const PAID_ON = "2024-04-01";

function urlOf(base: URL, name: string): string {
  const u = new URL(base.toString());
  u.pathname = `/${name}`;
  return u.toString();
}

async function serve(url: string) {
  const db = connectPostgres({ url, poolMax: 16 });
  const config = loadConfig({ NODE_ENV: "test" });
  const app = createApp({ db, config, logger: createLogger("silent") });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (token: string, method: string, p: string, body?: unknown) => {
    const res = await fetch(base + p, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
    return json;
  };
  return {
    db,
    config,
    call,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await db.close();
    },
  };
}

interface Setup {
  batchId: string;
  courtId: string;
  financeId: string;
  financeToken: string;
}

/** Cases, receipts and one approved batch, through the API. */
async function setUp(url: string, items: number): Promise<Setup> {
  const s = await serve(url);
  try {
    await migrateLatest(s.db.knex);
    const sys = { knex: s.db.knex, config: s.config, log: createLogger("silent") };
    const admin = await runSystemWrite(sys, "bench", (ctx) => createUser(ctx, { name: "bench admin", roles: ["admin"], courtIds: [] }));
    const court = await s.call(admin.token as string, "POST", "/v1/courts", { code: `BB${Date.now() % 100000}`, name: "Batch bench court" });
    const courtId = court.id as string;
    const user = (name: string, role: "clerk" | "approver" | "finance") =>
      runSystemWrite(sys, "bench", (ctx) => createUser(ctx, { name, roles: [role], courtIds: [courtId] }));
    const [clerk, approver, finance] = [await user("bench clerk", "clerk"), await user("bench approver", "approver"), await user("bench finance", "finance")];
    const perCase = Math.ceil(items / CASES);
    const batchItems: { caseId: string; partyId: string; amount: string }[] = [];
    const started = process.hrtime.bigint();
    let next = 0;
    const worker = async () => {
      while (next < CASES) {
        const i = next++;
        const c = await s.call(clerk.token as string, "POST", "/v1/cases", {
          courtId,
          caseNumber: `(2024)湘1129执${i + 1}号`,
          cause: "bench",
          filedOn: "2024-01-01",
          adjudicatedAmount: "9999999.99",
          applicants: [{ name: `申请人${i + 1}`, kind: "person", bankAccount: { bankName: "农业银行", accountName: `申请人${i + 1}`, accountNumber: `62284800${String(i).padStart(11, "0")}` } }],
          debtors: [{ name: "被执行人", kind: "person" }],
        });
        await s.call(clerk.token as string, "POST", `/v1/cases/${c.id as string}/receipts`, { amount: "500000.00", receivedOn: "2024-03-01", source: "deduction" });
        const applicant = (c.parties as { id: string; role: string }[]).find((p) => p.role === "applicant");
        if (!applicant) throw new Error("no applicant");
        for (let k = 0; k < perCase && batchItems.length < items; k++) {
          batchItems.push({ caseId: c.id as string, partyId: applicant.id, amount: `${100 + ((i * perCase + k) % 997)}.37` });
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    out(`  set-up: ${CASES} cases with a receipt each through the API in ${(ms(started) / 1000).toFixed(1)} s`);
    const t0 = process.hrtime.bigint();
    const batch = await s.call(clerk.token as string, "POST", "/v1/payout-batches", { courtId, note: `${items} items`, items: batchItems.slice(0, items) });
    await s.call(clerk.token as string, "POST", `/v1/payout-batches/${batch.id as string}/submit`);
    await s.call(approver.token as string, "POST", `/v1/payout-batches/${batch.id as string}/approve`);
    out(`  set-up: a batch of ${items} items created, submitted and approved in ${(ms(t0) / 1000).toFixed(1)} s`);
    return { batchId: batch.id as string, courtId, financeId: finance.id, financeToken: finance.token as string };
  } finally {
    await s.close();
  }
}

/** What `executeBatch` does, as one set-based script in one transaction. */
function script(x: Setup): string {
  const b = `'${x.batchId}'::uuid`;
  const perCase = `SELECT case_id, sum(amount) AS amount FROM payout_items WHERE batch_id = ${b} GROUP BY case_id`;
  const digest = crypto.createHash("sha256").update(`payout_batch.executed ${x.batchId}`).digest("hex");
  const event = `jsonb_build_array(jsonb_build_object('at', now(), 'actor_id', '${x.financeId}', 'action', 'payout_batch.executed', 'entity_type', 'payout_batch',
      'entity_id', '${x.batchId}', 'court_id', '${x.courtId}', 'request_id', 'bench-sql', 'data', '{}'::jsonb, 'digest', '${digest}'))`;
  return `
    BEGIN;
    SELECT * FROM payout_batches WHERE id = ${b} FOR UPDATE;
    SELECT id, court_id, case_id, amount, position FROM payout_items WHERE batch_id = ${b} ORDER BY position;
    SELECT * FROM case_balances WHERE case_id IN (SELECT case_id FROM payout_items WHERE batch_id = ${b}) ORDER BY case_id FOR UPDATE;
    UPDATE case_balances cb SET reserved = cb.reserved - s.amount, updated_at = now() FROM (${perCase}) s WHERE cb.case_id = s.case_id;
    WITH e AS (
      INSERT INTO journal_entries (id, court_id, case_id, kind, amount, effective_on, payout_item_id, created_by)
      SELECT gen_random_uuid(), i.court_id, i.case_id, 'payout', i.amount, DATE '${PAID_ON}', i.id, '${x.financeId}'
        FROM payout_items i WHERE i.batch_id = ${b} ORDER BY i.position
      RETURNING seq, court_id, case_id, amount)
    INSERT INTO journal_lines (entry_seq, line_no, court_id, case_id, account, amount)
      SELECT e.seq, l.n, e.court_id, CASE WHEN l.n = 2 THEN e.case_id END, CASE WHEN l.n = 1 THEN 'court_bank' ELSE 'case_held' END,
             CASE WHEN l.n = 1 THEN -e.amount ELSE e.amount END
        FROM e, (VALUES (1::smallint), (2::smallint)) l(n);
    UPDATE case_balances cb SET disbursed = cb.disbursed + s.amount, held = cb.held - s.amount, updated_at = now() FROM (${perCase}) s WHERE cb.case_id = s.case_id;
    UPDATE payout_items SET status = 'paid' WHERE batch_id = ${b} AND status = 'pending';
    UPDATE payout_batches SET status = 'executed', executed_by = '${x.financeId}', executed_at = now(), paid_on = DATE '${PAID_ON}' WHERE id = ${b};
    SELECT audit_append('${x.courtId}', ${event});
    SELECT * FROM payout_items WHERE batch_id = ${b} ORDER BY position;
    COMMIT;`;
}

async function copyOf(admin: ReturnType<typeof knexFactory>, template: string): Promise<string> {
  const name = `${template}_run_${crypto.randomBytes(3).toString("hex")}`;
  await admin.raw(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  return name;
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write("bench-batch measures against PostgreSQL: set DATABASE_URL\n");
    process.exit(2);
  }
  const base = new URL(url);
  const items = Number(arg("items", "10000"));
  const runs = Number(arg("runs", "3"));
  const admin = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
  const template = `cef_bench_batch_${Date.now()}`;
  await admin.raw(`CREATE DATABASE ${template}`);
  const made: string[] = [template];
  try {
    out(`executing a ${items}-item batch: the API against one set-based SQL script (PostgreSQL)`);
    const x = await setUp(urlOf(base, template), items);
    const rows: string[] = [];
    for (let run = 1; run <= runs; run++) {
      const forApi = await copyOf(admin, template);
      const forSql = await copyOf(admin, template);
      made.push(forApi, forSql);

      const s = await serve(urlOf(base, forApi));
      const t0 = process.hrtime.bigint();
      const executed = await s.call(x.financeToken, "POST", `/v1/payout-batches/${x.batchId}/execute`, { paidOn: PAID_ON });
      const apiMs = ms(t0);
      await s.close();
      if (executed.status !== "executed") throw new Error(`the batch is ${String(executed.status)}`);

      const client = new pg.Client({ connectionString: urlOf(base, forSql) });
      await client.connect();
      await client.query("SET TIME ZONE 'Asia/Shanghai'");
      const t1 = process.hrtime.bigint();
      await client.query(script(x));
      const sqlMs = ms(t1);
      const check = await client.query("SELECT status FROM payout_batches WHERE id = $1", [x.batchId]);
      await client.end();
      if (check.rows[0]?.status !== "executed") throw new Error("the script did not execute the batch");

      rows.push(`| ${run} | ${apiMs.toFixed(0)} | ${sqlMs.toFixed(0)} | ${(apiMs / sqlMs).toFixed(2)} |`);
      for (const name of [forApi, forSql]) await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
    out(`\n| run | API execute (ms) | one SQL script (ms) | API ÷ SQL |\n|---:|---:|---:|---:|\n${rows.join("\n")}`);
  } finally {
    for (const name of made) await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.destroy();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
