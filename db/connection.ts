import fs from "node:fs";
import path from "node:path";
import knexFactory, { Knex } from "knex";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import ClientPGLite = require("knex-pglite");
import { coalesceTransactionEnds } from "./transaction";

/**
 * One database handle for the whole app: real PostgreSQL through `pg` when a URL is given,
 * otherwise PGlite in process (through knex-pglite). Both hand NUMERIC, BIGINT and DATE to the
 * code as strings: money never becomes a JS number, and a business date never shifts with the
 * server's time zone.
 */
export type DatabaseKind = "postgres" | "pglite";

export interface Database {
  knex: Knex;
  kind: DatabaseKind;
  /** Connections in use / idle / waiting, for the metrics endpoint. */
  poolStats(): { used: number; free: number; pending: number };
  close(): Promise<void>;
}

const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;
const asString = (value: string) => value;

pg.types.setTypeParser(OID.INT8, asString);
pg.types.setTypeParser(OID.NUMERIC, asString);
pg.types.setTypeParser(OID.DATE, asString);

export interface PostgresOptions {
  url: string;
  poolMax?: number;
  statementTimeoutMs?: number;
  /** A session idle inside a transaction for this long is ended by the server (issue 17). */
  idleInTransactionTimeoutMs?: number;
}

export function connectPostgres(options: PostgresOptions): Database {
  const statementTimeoutMs = Math.trunc(options.statementTimeoutMs ?? 30000);
  const idleInTransactionMs = Math.trunc(options.idleInTransactionTimeoutMs ?? 60000);
  const knex = knexFactory({
    client: "pg",
    connection: options.url,
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      afterCreate(conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) {
        // Fail a runaway statement rather than hold locks for ever, and end a session that a lost
        // client left idle inside a transaction (the second net under the exports' own clean-up);
        // business dates are China time.
        conn.query(
          `SET statement_timeout = ${statementTimeoutMs}; SET idle_in_transaction_session_timeout = ${idleInTransactionMs}; SET TIME ZONE 'Asia/Shanghai'`,
          (err) => done(err ?? null, conn),
        );
      },
    },
    acquireConnectionTimeout: 10000,
  });
  coalesceTransactionEnds(knex);
  return {
    knex,
    kind: "postgres",
    poolStats: () => poolStatsOf(knex),
    close: () => knex.destroy(),
  };
}

export interface PgliteOptions {
  /** Directory holding the data; undefined keeps everything in memory (tests). */
  dataDir?: string;
  /** How long to wait for a dying lock holder (default DATA_DIR_LOCK_WAIT_MS). */
  lockWaitMs?: number;
  /** A dump made by `dumpDataDir`: a migrated template (tests), or a backup to restore into a new `dataDir`. */
  loadDataDir?: Blob;
}

export async function createPglite(options: PgliteOptions = {}): Promise<PGlite> {
  const parsers = { [OID.INT8]: asString, [OID.NUMERIC]: asString, [OID.DATE]: asString };
  const pglite = options.dataDir
    ? new PGlite(options.dataDir, { parsers, loadDataDir: options.loadDataDir })
    : new PGlite({ parsers, loadDataDir: options.loadDataDir });
  await pglite.waitReady;
  await pglite.query("SET TIME ZONE 'Asia/Shanghai'");
  return pglite;
}

export async function connectPglite(options: PgliteOptions = {}): Promise<Database> {
  let releaseLock = () => {};
  let pgliteDir: string | undefined;
  if (options.dataDir) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    releaseLock = await lockDataDir(options.dataDir, options.lockWaitMs);
    pgliteDir = path.join(options.dataDir, "pgdata");
  }
  try {
    const pglite = await createPglite({ ...options, dataDir: pgliteDir });
    const knex = knexFactory({
      client: ClientPGLite,
      connection: { pglite } as unknown as Knex.StaticConnectionConfig,
      // PGlite has one session: a nested query inside a transaction would wait for ever.
      acquireConnectionTimeout: 10000,
    });
    return {
      knex,
      kind: "pglite",
      poolStats: () => poolStatsOf(knex),
      close: async () => {
        await knex.destroy();
        if (!pglite.closed) await pglite.close();
        releaseLock();
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}

/**
 * Two processes on one PGlite directory silently lose writes, so the directory is locked with a
 * pid file. A lock left by a process that no longer runs is taken over. A holder that is still in
 * the process table may be dying (a supervisor restarts a server at once after `kill -9`, while the
 * dead process is not yet reaped): the lock is asked again for up to `waitMs` before it refuses.
 */
export async function lockDataDir(dataDir: string, waitMs = DATA_DIR_LOCK_WAIT_MS): Promise<() => void> {
  const lockFile = path.join(dataDir, "server.pid");
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    const holder = tryLock(lockFile);
    if (holder === null) return () => fs.rmSync(lockFile, { force: true });
    if (Date.now() >= giveUpAt) {
      throw new Error(`The data directory ${dataDir} is in use by process ${holder} (${lockFile}). Stop it first.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How long a start waits for a lock holder that may be dying. */
export const DATA_DIR_LOCK_WAIT_MS = 5000;

/** Takes the lock (null) or names the live process that holds it. */
function tryLock(lockFile: string): number | null {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let text = "";
      try {
        text = fs.readFileSync(lockFile, "utf8").trim();
      } catch (readErr) {
        if ((readErr as NodeJS.ErrnoException).code === "ENOENT") continue; // released meanwhile
        throw readErr;
      }
      const holder = Number(text);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) return holder;
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock the data directory ${path.dirname(lockFile)}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function poolStatsOf(knex: Knex) {
  const pool = (knex.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } }).pool;
  if (!pool) return { used: 0, free: 0, pending: 0 };
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() };
}

export interface ConnectOptions {
  databaseUrl?: string;
  dataDir: string;
  poolMax?: number;
  statementTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
}

export async function connect(options: ConnectOptions): Promise<Database> {
  if (options.databaseUrl) {
    return connectPostgres({
      url: options.databaseUrl,
      poolMax: options.poolMax,
      statementTimeoutMs: options.statementTimeoutMs,
      idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs,
    });
  }
  return connectPglite({ dataDir: options.dataDir });
}
