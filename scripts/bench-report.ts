/**
 * Benchmark: the disbursement report on a generated court with a million payouts, on real
 * PostgreSQL (DATABASE_URL; a fresh database is created and dropped), or on PGlite with a smaller
 * --payouts. The data is generated set-wise in SQL (consistent journal, balances and items), not
 * through the API, which would take hours for a million payouts.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/bench-report.ts --payouts 1000000
 *
 * Prints the generation time, the report's time (JSON, CSV export with peak memory) and the query
 * plan of the report's main query.
 */
import knexFactory, { type Knex } from "knex";
import { Writable } from "node:stream";
import { detailSql, periodPayoutsSql } from "../api/reports/disbursements-query";
import { disbursementReport } from "../api/reports/disbursements-service";
import { cursorRows, inReportTransaction } from "../api/reports/export";
import { connectPglite, connectPostgres, type Database } from "../db/connection";
import { migrateLatest } from "../db/migrate";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const log = (msg: string) => process.stdout.write(msg + "\n");
const seconds = (start: bigint) => (Number(process.hrtime.bigint() - start) / 1e9).toFixed(2);

async function open(): Promise<{ db: Database; label: string; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await connectPglite();
    return { db, label: "PGlite", drop: () => db.close() };
  }
  const name = `cef_bench_report_${Date.now()}`;
  const admin = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = connectPostgres({ url: u.toString(), statementTimeoutMs: 3_600_000 });
  return {
    db,
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

async function main() {
  const payouts = Number(arg("payouts", "1000000"));
  const { db, label, drop } = await open();
  try {
    await migrateLatest(db.knex);
    log(`${label}: generating a court with ${payouts} payouts`);
    const start = process.hrtime.bigint();
    const court = await generate(db.knex, payouts, 10);
    log(`  generated everything in ${seconds(start)} s`);
    for (const [from, to] of [["2024-03-11", "2024-04-23"], ["2024-01-01", "2024-06-30"]]) {
      for (let run = 1; run <= 3; run++) {
        const t0 = process.hrtime.bigint();
        const report = await disbursementReport(db.knex, { courtIds: [court], from, to });
        log(`  report JSON ${from}..${to}, run ${run}: ${seconds(t0)} s — ${report.summary.en}, ${report.payouts} payouts; median ${report.timeliness.medianDays} days`);
      }
    }
    const period = { courtIds: [court], from: "2024-01-01", to: "2024-06-30" };
    const t1 = process.hrtime.bigint();
    let rows = 0;
    let bytes = 0;
    let peakRss = 0;
    const sink = new Writable({ write(chunk, _enc, cb) { bytes += chunk.length; cb(); } });
    for await (const batch of cursorRows<Record<string, unknown>>(db.knex, detailSql(), period)) {
      rows += batch.length;
      sink.write(batch.map((r) => Object.values(r).join(",")).join("\n"));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    log(`  CSV detail export: ${rows} rows, ${(bytes / 1e6).toFixed(0)} MB in ${seconds(t1)} s, peak RSS ${(peakRss / 1e6).toFixed(0)} MB`);

    // The plan as the report runs it: inside its read-only transaction, with its work_mem.
    const { rows: plan } = await inReportTransaction(db.knex, (tx) =>
      tx.raw<{ rows: { "QUERY PLAN": string }[] }>(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${tx.raw(`WITH detail AS (${periodPayoutsSql()}) SELECT count(*), sum(amount) FROM detail`, period).toQuery()}`,
      ),
    );
    log("\n  plan of the period's payouts (the report's core):\n" + plan.map((r) => "    " + r["QUERY PLAN"]).join("\n"));
  } finally {
    await drop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
