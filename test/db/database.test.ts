import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Knex } from "knex";
import { connectPglite, lockDataDir, type Database } from "../../db/connection";
import { migrateLatest, migrateRollbackAll } from "../../db/migrate";
import { migrations } from "../../db/migrations";
import { formatMoney, moneyFromDb, moneyToDb, parseMoney, sumMoney } from "../../api/core/money";
import { freshDatabase, onRealPostgres } from "../helpers/test-db";

const MAX = "9999999999999.99";

describe("NUMERIC, BIGINT and DATE reach the code as strings", () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await freshDatabase());
    await db.knex.raw(`
      CREATE TABLE type_probe (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        amount numeric(20,2) NOT NULL,
        big bigint NOT NULL,
        on_day date NOT NULL
      )`);
  });
  afterAll(async () => {
    await drop();
  });

  test("the largest amount, a bigint beyond 2^53 and a leap day come back exactly, as strings", async () => {
    await db.knex("type_probe").insert({ amount: MAX, big: "9007199254740993", on_day: "2024-02-29" });
    const row = await db.knex("type_probe").orderBy("id", "desc").first();
    expect(row).toEqual({ id: expect.any(String), amount: MAX, big: "9007199254740993", on_day: "2024-02-29" });
    expect(typeof row.id).toBe("string");
  });

  test("sums far beyond one amount's maximum (and beyond 2^53 cents) stay exact strings", async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ amount: MAX, big: String(i), on_day: "2024-12-31" }));
    await db.knex.batchInsert("type_probe", rows, 250);
    const [sums] = await db.knex("type_probe")
      .where({ on_day: "2024-12-31" })
      .select(db.knex.raw("sum(amount) AS total"), db.knex.raw("count(*) AS n"), db.knex.raw("sum(big) AS big_total"));
    expect(sums).toEqual({ total: "9999999999999990.00", n: "1000", big_total: "499500" });
    // The code's own sum, through Decimal, agrees with the database to the cent.
    const model = sumMoney(rows.map((r) => moneyFromDb(r.amount)));
    expect(formatMoney(model)).toBe(sums.total);
  });

  test("NUMERIC(20,2) holds 18 integer digits; beyond that the database refuses rather than rounds", async () => {
    const biggest = "999999999999999999.99";
    await db.knex("type_probe").insert({ amount: biggest, big: "1", on_day: "2025-01-01" });
    const back = await db.knex("type_probe").where({ on_day: "2025-01-01" }).first("amount");
    expect(back.amount).toBe(biggest);
    await expect(db.knex("type_probe").insert({ amount: "1000000000000000000.00", big: "1", on_day: "2025-01-02" })).rejects.toThrow(
      /numeric field overflow/,
    );
    const [{ twice }] = (await db.knex.raw("SELECT sum(amount) * 2 AS twice FROM type_probe WHERE on_day = '2025-01-01'")).rows;
    expect(twice).toBe("1999999999999999999.98");
  });

  test("a bound money value is a fixed-point string, and what the database stores is what was bound", async () => {
    const parsed = parseMoney("80000.5");
    if (!parsed.ok) throw new Error(parsed.message);
    await db.knex("type_probe").insert({ amount: moneyToDb(parsed.value), big: "2", on_day: "2025-02-01" });
    const row = await db.knex("type_probe").where({ on_day: "2025-02-01" }).first("amount");
    expect(row.amount).toBe("80000.50");
  });

  test("a date is never shifted by a time zone, on either side", async () => {
    await db.knex("type_probe").insert({ amount: "1.00", big: "3", on_day: "2024-12-31" });
    const [{ d }] = (await db.knex.raw("SELECT max(on_day) AS d FROM type_probe WHERE on_day <= '2024-12-31'")).rows;
    expect(d).toBe("2024-12-31");
    const [{ tz }] = (await db.knex.raw("SELECT current_setting('TimeZone') AS tz")).rows;
    expect(tz).toBe("Asia/Shanghai");
  });
});

/** What a migration can leave behind: columns, constraints, indexes, triggers, functions, types. */
async function schemaFingerprint(knex: Knex): Promise<string[]> {
  const q = async (sql: string) => ((await knex.raw(sql)).rows as Record<string, string>[]).map((r) => Object.values(r).join(" | "));
  const skip = "('knex_migrations', 'knex_migrations_lock')";
  return [
    ...(await q(`SELECT 'column', table_name, column_name, data_type, is_nullable, coalesce(column_default, '')
                 FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT IN ${skip}`)),
    ...(await q(`SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                 FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ${skip}`)),
    ...(await q(`SELECT 'index', indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT IN ${skip}`)),
    ...(await q(`SELECT 'trigger', tgrelid::regclass::text, tgname FROM pg_trigger
                 WHERE NOT tgisinternal AND tgrelid::regclass::text NOT IN ${skip}`)),
    ...(await q(`SELECT 'function', proname, md5(prosrc) FROM pg_proc WHERE pronamespace = 'public'::regnamespace`)),
    ...(await q(`SELECT 'type', typname FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype IN ('e', 'd', 'c') AND typrelid = 0`)),
    ...(await q(`SELECT 'sequence', sequence_name FROM information_schema.sequences
                 WHERE sequence_schema = 'public' AND sequence_name NOT LIKE 'knex_migrations%'`)),
    ...(await q(`SELECT 'view', table_name FROM information_schema.views WHERE table_schema = 'public'`)),
  ].sort();
}

describe("migrations", () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await freshDatabase());
  });
  afterAll(async () => {
    await drop();
  });

  const names = migrations.map((m) => m.name);

  test("all migrations roll back to an empty schema and migrate up again to the same schema", async () => {
    const migrated = await schemaFingerprint(db.knex);
    expect(migrated.length).toBeGreaterThan(0);

    const rolledBack = await migrateRollbackAll(db.knex);
    expect(rolledBack).toEqual([...names].reverse());
    expect(await schemaFingerprint(db.knex)).toEqual([]);
    expect(await db.knex("knex_migrations").count<{ n: string }[]>("* as n")).toEqual([{ n: "0" }]);

    const applied = await migrateLatest(db.knex);
    expect(applied).toEqual(names);
    expect(await schemaFingerprint(db.knex)).toEqual(migrated);
    expect(await migrateLatest(db.knex)).toEqual([]);
  });

  test("each migration's down undoes exactly its up", async () => {
    await migrateRollbackAll(db.knex);
    const source: Knex.MigrationSource<(typeof migrations)[number]> = {
      getMigrations: async () => migrations,
      getMigrationName: (m) => m.name,
      getMigration: async (m) => m.module,
    };
    const config: Knex.MigratorConfig = { migrationSource: source, tableName: "knex_migrations" };
    let before = await schemaFingerprint(db.knex);
    for (const name of names) {
      await db.knex.migrate.up(config);
      const after = await schemaFingerprint(db.knex);
      expect({ name, changedSomething: after.join("\n") !== before.join("\n") }).toEqual({ name, changedSomething: true });
      await db.knex.migrate.down(config);
      expect({ name, afterDown: await schemaFingerprint(db.knex) }).toEqual({ name, afterDown: before });
      await db.knex.migrate.up(config);
      before = after;
    }
    const [, pending] = (await db.knex.migrate.list(config)) as [unknown[], unknown[]];
    expect(pending).toEqual([]);
  });
});

describe("the PGlite data directory lock", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cef-lock-"));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A process that stays alive until killed. */
  async function liveProcess() {
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    await once(child, "spawn");
    return child;
  }

  test("the lock file names this process and is removed on release", async () => {
    const release = await lockDataDir(dir);
    const lockFile = path.join(dir, "server.pid");
    expect(fs.readFileSync(lockFile, "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  test("a lock held by a live process is refused with a message naming that process, and left in place", async () => {
    const holder = await liveProcess();
    try {
      const lockFile = path.join(dir, "server.pid");
      fs.writeFileSync(lockFile, String(holder.pid));
      await expect(lockDataDir(dir, 300)).rejects.toThrow(`in use by process ${holder.pid}`);
      expect(fs.readFileSync(lockFile, "utf8")).toBe(String(holder.pid));
      // Opening the database there is refused the same way, before PGlite touches the files.
      await expect(connectPglite({ dataDir: dir, lockWaitMs: 300 })).rejects.toThrow(`in use by process ${holder.pid}`);
      expect(fs.readFileSync(lockFile, "utf8")).toBe(String(holder.pid));
      expect(fs.existsSync(path.join(dir, "pgdata"))).toBe(false);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  test("a lock left by a process that has exited is taken over", async () => {
    const gone = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
    const [code] = await once(gone, "exit");
    expect(code).toBe(0);
    const lockFile = path.join(dir, "server.pid");
    fs.writeFileSync(lockFile, String(gone.pid));
    const release = await lockDataDir(dir);
    expect(fs.readFileSync(lockFile, "utf8")).toBe(String(process.pid));
    release();
  });

  test("a holder that is dying (still in the process table) is waited for, and its lock taken over once it is gone (issue 17)", async () => {
    const dying = await liveProcess();
    const lockFile = path.join(dir, "server.pid");
    fs.writeFileSync(lockFile, String(dying.pid));
    // The holder is alive when the lock is first asked for; it goes away while the start waits.
    const taking = lockDataDir(dir, 10_000);
    let settled = false;
    void taking.then(() => (settled = true), () => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    dying.kill("SIGKILL");
    await once(dying, "exit");
    const release = await taking;
    expect(fs.readFileSync(lockFile, "utf8")).toBe(String(process.pid));
    release();
  });

  test("a lock file with garbage in it is taken over", async () => {
    const lockFile = path.join(dir, "server.pid");
    for (const junk of ["", "not a pid", "-1", "0"]) {
      fs.writeFileSync(lockFile, junk);
      const release = await lockDataDir(dir);
      expect(fs.readFileSync(lockFile, "utf8")).toBe(String(process.pid));
      release();
    }
  });
});

const describeEmbedded = onRealPostgres ? describe.skip : describe;
if (onRealPostgres) {
  console.warn("database.test.ts: skipping the PGlite persistence test: DATABASE_URL is set, so this run is about the real server");
}

describeEmbedded("the embedded database on disk", () => {
  test("data survives closing and reopening the data directory, and the lock is released on close", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cef-persist-"));
    try {
      const first = await connectPglite({ dataDir: dir });
      await migrateLatest(first.knex);
      await first.knex.raw("CREATE TABLE kept (amount numeric(20,2) NOT NULL, on_day date NOT NULL)");
      await first.knex("kept").insert({ amount: MAX, on_day: "2024-02-29" });
      expect(fs.existsSync(path.join(dir, "server.pid"))).toBe(true);
      await first.close();
      expect(fs.existsSync(path.join(dir, "server.pid"))).toBe(false);

      const second = await connectPglite({ dataDir: dir });
      try {
        expect(await migrateLatest(second.knex)).toEqual([]);
        expect(await second.knex("kept").select()).toEqual([{ amount: MAX, on_day: "2024-02-29" }]);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
