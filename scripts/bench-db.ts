/**
 * The figures behind the choice of database wiring (README, docs/benchmarks.md):
 *  - start-up on a new data directory and on reopening one: PGlite in process (knex-pglite);
 *    for PostgreSQL, connecting to a new database and to an existing one;
 *  - a transaction of 1,000 single-row INSERTs, and one 1,000-row INSERT.
 *
 *   npx tsx scripts/bench-db.ts                 # PGlite, plus PostgreSQL if reachable
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/bench-db.ts
 *
 * Each figure is the median of several runs, in milliseconds. Nothing here is asserted:
 * timings belong in a report, never in a test.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import knexFactory, { type Knex } from "knex";
import { connectPglite, connectPostgres, type Database } from "../db/connection";
import { migrateLatest } from "../db/migrate";
import { migrations } from "../db/migrations";

const ROWS = 1000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PG_URL = process.env.BENCH_PG_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const out = (line = "") => process.stdout.write(line + "\n");
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const fmt = (x: number | undefined) => (x === undefined ? "n/a" : x < 10 ? x.toFixed(1) : Math.round(x).toString());

async function insertWorkload(knex: Knex) {
  await knex.raw("DROP TABLE IF EXISTS bench_rows");
  await knex.raw(`CREATE TABLE bench_rows (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id uuid NOT NULL,
    amount numeric(20,2) NOT NULL CHECK (amount > 0),
    received_on date NOT NULL,
    note text NOT NULL)`);
  const caseId = crypto.randomUUID();
  const row = (i: number) => ({ case_id: caseId, amount: `${1 + (i % 997)}.${String(i % 100).padStart(2, "0")}`, received_on: "2024-03-11", note: `row ${i}` });

  const single: number[] = [];
  const batch: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let start = process.hrtime.bigint();
    await knex.transaction(async (tx) => {
      for (let i = 0; i < ROWS; i++) await tx("bench_rows").insert(row(i));
    });
    single.push(ms(start));

    start = process.hrtime.bigint();
    await knex.transaction(async (tx) => {
      await tx("bench_rows").insert(Array.from({ length: ROWS }, (_, i) => row(i)));
    });
    batch.push(ms(start));
  }
  const [{ n }] = (await knex.raw("SELECT count(*) AS n FROM bench_rows")).rows as { n: string }[];
  if (n !== String(2 * ROWS * RUNS)) throw new Error(`expected ${2 * ROWS * RUNS} rows, found ${n}`);
  await knex.raw("DROP TABLE bench_rows");
  return { single: median(single), batch: median(batch) };
}

interface Figures {
  startNew: number;
  migrate: number;
  startReopen: number;
  single: number;
  batch: number;
  rssMb?: number;
}

async function benchPglite(): Promise<Figures> {
  const fresh: number[] = [];
  const reopen: number[] = [];
  const migrate: number[] = [];
  let workload = { single: 0, batch: 0 };
  let rssMb = 0;
  for (let run = 0; run < Math.min(RUNS, 3); run++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cef-bench-"));
    try {
      let start = process.hrtime.bigint();
      let db: Database = await connectPglite({ dataDir: dir });
      await db.knex.raw("SELECT 1");
      fresh.push(ms(start));
      start = process.hrtime.bigint();
      await migrateLatest(db.knex);
      migrate.push(ms(start));
      await db.close();

      start = process.hrtime.bigint();
      db = await connectPglite({ dataDir: dir });
      await db.knex.raw("SELECT 1");
      reopen.push(ms(start));
      if (run === 0) {
        workload = await insertWorkload(db.knex);
        rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
      }
      await db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { startNew: median(fresh), migrate: median(migrate), startReopen: median(reopen), ...workload, rssMb };
}

async function benchPostgres(): Promise<Figures | string> {
  const admin = knexFactory({ client: "pg", connection: PG_URL, pool: { min: 0, max: 1 } });
  try {
    await admin.raw("SELECT 1");
  } catch (err) {
    await admin.destroy();
    return `not reachable at ${PG_URL} (${(err as Error).message})`;
  }
  const name = `cef_bench_${crypto.randomBytes(4).toString("hex")}`;
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  try {
    const fresh: number[] = [];
    const reopen: number[] = [];
    const migrate: number[] = [];
    for (let run = 0; run < Math.min(RUNS, 3); run++) {
      await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
      let start = process.hrtime.bigint();
      await admin.raw(`CREATE DATABASE ${name}`);
      let db = connectPostgres({ url: url.toString(), poolMax: 1 });
      await db.knex.raw("SELECT 1");
      fresh.push(ms(start));
      start = process.hrtime.bigint();
      await migrateLatest(db.knex);
      migrate.push(ms(start));
      await db.close();

      start = process.hrtime.bigint();
      db = connectPostgres({ url: url.toString(), poolMax: 1 });
      await db.knex.raw("SELECT 1");
      reopen.push(ms(start));
      await db.close();
    }
    const db = connectPostgres({ url: url.toString(), poolMax: 1 });
    const workload = await insertWorkload(db.knex);
    await db.close();
    return { startNew: median(fresh), migrate: median(migrate), startReopen: median(reopen), ...workload };
  } finally {
    await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.destroy();
  }
}

async function main() {
  out(`# Database figures (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} CPUs, median of ${RUNS} runs, ms)`);
  out();
  const pglite = await benchPglite();
  const pg = await benchPostgres();
  out("| measure | PGlite in process (knex-pglite) | PostgreSQL server (pg) |");
  out("| --- | ---: | ---: |");
  const pgv = (k: keyof Figures) => (typeof pg === "string" ? "n/a" : fmt(pg[k]));
  out(`| start-up, new data directory / new database | ${fmt(pglite.startNew)} | ${pgv("startNew")} |`);
  out(`| all ${migrations.length} migrations on that new database | ${fmt(pglite.migrate)} | ${pgv("migrate")} |`);
  out(`| start-up, reopening / connecting to an existing database | ${fmt(pglite.startReopen)} | ${pgv("startReopen")} |`);
  out(`| 1,000 single-row INSERTs in one transaction | ${fmt(pglite.single)} | ${pgv("single")} |`);
  out(`| one 1,000-row INSERT in one transaction | ${fmt(pglite.batch)} | ${pgv("batch")} |`);
  out();
  out(`PGlite process RSS after the workload: ${pglite.rssMb} MB.`);
  if (typeof pg === "string") out(`PostgreSQL: ${pg}.`);
  else out("PostgreSQL start-up excludes starting the server itself (it is already running); a new database is CREATE DATABASE + first query.");
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
