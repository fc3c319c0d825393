import crypto from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import knexFactory from "knex";
import { withDatabase } from "../helpers/global-setup";
import { onRealPostgres } from "../helpers/test-db";
import { ADMIN_TOKEN, call, startServer, stopIfRunning, type Running } from "../helpers/server-process";

/**
 * The real server process, as `npm start` runs it (node dist/api/server.js): start-up, the data
 * directory lock, and a graceful stop on SIGTERM.
 */
// Each test starts real processes (tsx compiles on start): on a loaded two-core machine one start
// can take 20 s, so 60 s was too little; what the tests check is unchanged.
jest.setTimeout(240_000);

describe("the server process on the embedded database", () => {
  let dataDir: string;
  let first: Running | undefined;
  let second: Running | undefined;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cef-server-"));
  });
  afterAll(() => {
    stopIfRunning(first);
    stopIfRunning(second);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test(
    "it starts on a new data directory, refuses a second server there, finishes a request in flight on SIGTERM, " +
      "stops accepting connections, exits 0 and releases the lock; the data is there on restart",
    async () => {
      const env = { DATA_DIR: dataDir, DATABASE_URL: undefined, BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN };
      first = startServer(env);
      const { port } = (await first.waitForLog((e) => e.msg === "listening")) as { port: number };
      expect(port).toBeGreaterThan(0);
      const ready = await call(port, "GET", "/readyz");
      expect(ready).toMatchObject({ status: 200, body: { status: "ok", database: "pglite" } });

      // The lock names the process that holds the directory.
      const lockFile = path.join(dataDir, "server.pid");
      const holder = fs.readFileSync(lockFile, "utf8");
      expect(holder).toMatch(/^\d+$/);

      // A second server on the same directory stops at once with a message that says why.
      second = startServer({ ...env });
      expect(await second.exited).toBe(1);
      expect(second.stderr()).toContain(`The data directory ${dataDir} is in use by process ${holder}`);
      expect(fs.readFileSync(lockFile, "utf8")).toBe(holder);
      expect((await call(port, "GET", "/readyz")).status).toBe(200);

      // A request in flight: headers sent (the server said 100 Continue), body not yet.
      const keepAlive = new http.Agent({ keepAlive: true });
      const body = JSON.stringify({ code: "SIGTERM", name: "Court created while the server stops" });
      const inFlight = http.request({
        host: "127.0.0.1",
        port,
        agent: keepAlive, // as a browser or a pooling client would
        method: "POST",
        path: "/v1/courts",
        headers: {
          Authorization: `Bearer ${ADMIN_TOKEN}`,
          "Content-Type": "application/json",
          "Content-Length": String(Buffer.byteLength(body)),
          Expect: "100-continue",
        },
      });
      const inFlightError = new Promise<never>((_, reject) => inFlight.on("error", reject));
      inFlightError.catch(() => {}); // reported through the race below
      inFlight.flushHeaders();
      await once(inFlight, "continue");

      first.child.kill("SIGTERM");
      await first.waitForLog((e) => e.msg === "shutting down: no new connections, finishing requests in flight");

      // No new connections once shutting down: refused, or reset if it raced into the closing backlog.
      await expect(call(port, "GET", "/healthz")).rejects.toThrow(/ECONNREFUSED|ECONNRESET/);

      // The request in flight still completes, and its effect is committed.
      inFlight.end(body);
      const [res] = (await Promise.race([once(inFlight, "response"), inFlightError])) as [http.IncomingMessage];
      let text = "";
      for await (const chunk of res) text += chunk;
      expect({ status: res.statusCode, body: JSON.parse(text) }).toMatchObject({ status: 201, body: { code: "SIGTERM" } });
      // …and its connection is closed rather than kept alive, so the process need not wait for it.
      expect(res.headers.connection).toBe("close");
      keepAlive.destroy();

      expect(await first.exited).toBe(0);
      expect(first.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
      expect(fs.existsSync(lockFile)).toBe(false);

      // Restarted on the same directory: no migration to apply, and the court is there.
      const restarted = startServer(env);
      first = restarted;
      const again = (await restarted.waitForLog((e) => e.msg === "listening")) as { port: number };
      expect(restarted.lines.some((l) => l.includes('"msg":"migrations applied"'))).toBe(false);
      const courts = await call(again.port, "GET", "/v1/courts?limit=500");
      expect(courts.status).toBe(200);
      expect((courts.body as { data: { code: string }[] }).data.map((c) => c.code)).toContain("SIGTERM");
      restarted.child.kill("SIGTERM");
      expect(await restarted.exited).toBe(0);
      expect(fs.existsSync(lockFile)).toBe(false);
    },
  );
});

const describeOnServer = onRealPostgres ? describe : describe.skip;
if (!onRealPostgres) {
  console.warn("server.test.ts: skipping the PostgreSQL server-process test: DATABASE_URL is not set (npm run test:pg runs it)");
}

describeOnServer("the server process on PostgreSQL", () => {
  const url = process.env.DATABASE_URL ?? "";
  const name = `cef_test_srv_${crypto.randomBytes(6).toString("hex")}`;
  let server: Running | undefined;
  afterAll(async () => {
    stopIfRunning(server);
    const admin = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
    await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.destroy();
  });

  test("it serves on the database in DATABASE_URL and exits 0 on SIGTERM after closing its pool", async () => {
    const admin = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
    await admin.raw(`CREATE DATABASE ${name}`);
    await admin.destroy();
    server = startServer({ DATABASE_URL: withDatabase(url, name), BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN, DATA_DIR: "/nonexistent-not-used" });
    const { port } = (await server.waitForLog((e) => e.msg === "listening")) as { port: number };
    expect(await call(port, "GET", "/readyz")).toMatchObject({ status: 200, body: { status: "ok", database: "postgres" } });
    expect((await call(port, "GET", "/v1/users/me")).status).toBe(200);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    expect(fs.existsSync("/nonexistent-not-used")).toBe(false);
  });
});
