import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { createApp } from "../../api/app";
import { loadConfig, type Config } from "../../api/config";
import { createHttpServer } from "../../api/http/http-server";
import { createLogger } from "../../api/logger";
import { startTestApp, type TestApp, type TestUser } from "../helpers/test-app";
import { onRealPostgres } from "../helpers/test-db";

/**
 * Issue 17, finding 1: a report download whose client stalls, goes away or stops reading until
 * the stall timeout must not hold the database (on PGlite its only connection) nor leave a
 * session idle in a transaction. A real server on port 0, raw sockets for the clients, and a
 * held-funds CSV of about 10 MB (80,000 receipts): larger than what the loopback socket buffers
 * take, so the server really is stuck behind a client that does not read.
 */
jest.setTimeout(240_000);

const CASES = 20_000;
const RECEIPTS_PER_CASE = 4;
const ROWS = CASES * RECEIPTS_PER_CASE;
const AS_OF = "2024-06-30";

interface Server {
  port: number;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

let t: TestApp;
let court: { id: string; code: string };
let finance: TestUser;
let spoolDir: string;
let patient: Server; // a stall timeout far beyond the test: stalled clients stay connected
let strict: Server; // a one-second stall timeout
let exportPath: string;

async function serve(exportsConfig: Partial<Config["exports"]>): Promise<Server> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const base = { ...loadConfig({ NODE_ENV: "test" }), env: "test" as const };
  const config: Config = { ...base, exports: { ...base.exports, spoolDir, memoryBytes: 256 * 1024, ...exportsConfig } };
  const logger = createLogger("info", "json", sink);
  const server = createHttpServer(createApp({ db: t.db, config, logger }), config, logger);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    logs,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Generated set-wise in SQL: the API would take many minutes for 80,000 receipts. */
async function generate(courtId: string, userId: string): Promise<void> {
  const id = (kind: string, expr: string) => `md5('${kind}' || '${courtId}' || (${expr}))::uuid`;
  await t.db.knex.raw(
    `INSERT INTO cases (id, court_id, case_number, case_number_key, cause, filed_on, adjudicated_amount, created_by)
     SELECT ${id("case", "g")}, :court, '(2024)湘1129执' || g || '号', '(2024)湘1129执' || g || '号', '借款合同纠纷', DATE '2024-01-02', 1000000.00, :user
       FROM generate_series(1, ${CASES}) g`,
    { court: courtId, user: userId },
  );
  await t.db.knex.raw(
    `INSERT INTO receipts (id, court_id, case_id, amount, received_on, disburse_by, source, created_by)
     SELECT ${id("receipt", "g || '-' || k")}, :court, ${id("case", "g")}, 1234.56, d, d + 30, 'deduction', :user
       FROM generate_series(1, ${CASES}) g, generate_series(1, ${RECEIPTS_PER_CASE}) k,
            LATERAL (SELECT DATE '2024-01-10' + ((g + k * 37) % 150) AS d) dd`,
    { court: courtId, user: userId },
  );
}

beforeAll(async () => {
  t = await startTestApp();
  court = await t.court("STALL");
  finance = await t.user(["finance"], [court.id]);
  await generate(court.id, t.admin.id);
  spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), "cef-spool-test-"));
  patient = await serve({ stallTimeoutMs: 600_000 });
  strict = await serve({ stallTimeoutMs: 1000 });
  exportPath = `/v1/reports/held-funds?format=csv&courtId=${court.id}&asOf=${AS_OF}`;
});

afterAll(async () => {
  await patient?.close();
  await strict?.close();
  await t?.close();
  if (spoolDir) fs.rmSync(spoolDir, { recursive: true, force: true });
});

/** A client on a raw socket: sends the request, counts what arrives, and can stop reading. */
function rawDownload(port: number, urlPath: string, token: string) {
  const socket = net.connect({ port, host: "127.0.0.1" });
  let received = 0;
  let firstData!: () => void;
  const gotData = new Promise<void>((resolve) => (firstData = resolve));
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  socket.on("error", () => undefined);
  socket.on("data", (chunk: Buffer) => {
    received += chunk.length;
    firstData();
  });
  socket.write(`GET ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nAccept: text/csv\r\nConnection: close\r\n\r\n`);
  return {
    socket,
    gotData,
    closed,
    received: () => received,
    /** Stop reading: what the server sends piles up in the socket buffers until they are full. */
    stall: () => socket.pause(),
  };
}

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const spoolFiles = () => fs.readdirSync(spoolDir);

/** Sessions of this database left idle inside a transaction (PostgreSQL only). */
async function idleInTransaction(): Promise<number> {
  if (!onRealPostgres) return 0;
  const { rows } = await t.db.knex.raw<{ rows: { n: string }[] }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
  );
  return Number(rows[0].n);
}

/** The service still answers: ready, and an API call that needs the database. */
async function stillAnswers(port: number): Promise<void> {
  const base = `http://127.0.0.1:${port}`;
  const ready = await request(base).get("/readyz");
  expect(ready.status).toBe(200);
  const report = await request(base).get(`/v1/reports/held-funds?courtId=${court.id}&asOf=${AS_OF}`).set(finance.auth);
  expect(report.status).toBe(200);
  expect(report.body.totals).toMatchObject({ held: "98764800.00", cases: CASES });
  expect(await idleInTransaction()).toBe(0);
}

test("a whole download has every row, and leaves no spool file behind", async () => {
  const res = await request(`http://127.0.0.1:${patient.port}`)
    .get(exportPath)
    .set(finance.auth)
    .buffer(true)
    .parse((r, done) => {
      let text = "";
      r.setEncoding("utf8");
      r.on("data", (c: string) => (text += c));
      r.on("end", () => done(null, text));
    });
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
  const body = res.body as string;
  expect(body.length).toBeGreaterThan(8_000_000);
  const lines = body.split("\r\n").filter((l) => l.length > 0);
  expect(lines).toHaveLength(ROWS + 1);
  const spooled = patient.logs.find((l) => l.msg === "export spooled, sending");
  expect(spooled).toMatchObject({ onDisk: true });
  await until("the spool to be removed", () => spoolFiles().length === 0);
});

test("a client that stops reading holds neither the database nor a transaction: the service answers while it stalls", async () => {
  const client = rawDownload(patient.port, exportPath, finance.token);
  await client.gotData;
  client.stall();
  const before = patient.logs.length;
  await until("the export to be spooled", () => patient.logs.slice(before - 5).some((l) => l.msg === "export spooled, sending"));
  // The client is stuck: the server could not hand it more than the socket buffers hold.
  await new Promise((r) => setTimeout(r, 500));
  expect(client.received()).toBeLessThan(8_000_000);
  expect(client.socket.destroyed).toBe(false);
  expect(spoolFiles()).toHaveLength(1);

  await stillAnswers(patient.port);

  // The client leaves: its spool goes.
  client.socket.destroy();
  await client.closed;
  await until("the spool to be removed", () => spoolFiles().length === 0);
  await stillAnswers(patient.port);
});

test("a client that goes away mid-download, or before the first byte, ends the export: no spool, no transaction, the service answers", async () => {
  // Mid-download: after the first bytes.
  const mid = rawDownload(patient.port, exportPath, finance.token);
  await mid.gotData;
  mid.socket.destroy();
  await mid.closed;
  await until("the spool to be removed", () => spoolFiles().length === 0);
  await stillAnswers(patient.port);

  // Before the first byte: while the rows are still being read (the cursor and its transaction open).
  const early = rawDownload(patient.port, exportPath, finance.token);
  await new Promise((r) => setTimeout(r, 100));
  early.socket.destroy();
  await early.closed;
  await until("the export to give up", () => patient.logs.some((l) => l.msg === "export abandoned: the client went away while it was prepared" || l.msg === "export not completed: the client went away"));
  await until("the spool to be removed", () => spoolFiles().length === 0);
  await stillAnswers(patient.port);
});

test("a client that takes no data for the stall timeout loses its connection; the spool is removed and the service answers", async () => {
  const client = rawDownload(strict.port, exportPath, finance.token);
  await client.gotData;
  client.stall();
  const stalledMsg = "export stalled: the client took no data, connection closed";
  await until("the server to close the stalled connection", () => strict.logs.some((l) => l.msg === stalledMsg));
  const stalled = strict.logs.find((l) => l.msg === stalledMsg)!;
  expect(stalled).toMatchObject({ stallTimeoutMs: 1000 });
  expect(stalled.sentBytes as number).toBeLessThan(stalled.totalBytes as number);
  // A paused socket does not see the close: the client reads again and finds its download cut short.
  client.socket.resume();
  await client.closed;
  expect(client.received()).toBeLessThan(stalled.totalBytes as number);
  await until("the spool to be removed", () => spoolFiles().length === 0);
  await stillAnswers(strict.port);
});

test("an XLSX export is spooled the same way: sent after its transaction ended, and the service answers while its client stalls", async () => {
  const before = strict.logs.length;
  const client = rawDownload(strict.port, exportPath.replace("format=csv", "format=xlsx"), finance.token);
  await client.gotData;
  client.stall();
  await until("the workbook to be spooled", () => strict.logs.slice(before).some((l) => l.msg === "export spooled, sending"));
  await stillAnswers(strict.port);
  await new Promise((r) => setTimeout(r, 1500)); // past the stall timeout, if the buffers are full
  client.socket.resume();
  await client.closed;
  await until("the spool to be removed", () => spoolFiles().length === 0);
  await stillAnswers(strict.port);
});
