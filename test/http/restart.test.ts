import fs from "node:fs";
import http from "node:http";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { ADMIN_TOKEN, call, startServer, stopIfRunning, type Running } from "../helpers/server-process";

/**
 * Issue 17, findings 1 and 9, on the real server process: a supervisor restarts it at once after
 * `kill -9` (the dead process may still be in the process table: the lock waits for it), and
 * SIGTERM ends it within its grace period whatever is in flight.
 */
jest.setTimeout(240_000);

let dataDir: string;
const running: Running[] = [];
const start = (env: Record<string, string | undefined>) => {
  const s = startServer({ DATA_DIR: dataDir, DATABASE_URL: undefined, BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN, ...env });
  running.push(s);
  return s;
};
const portOf = async (s: Running) => ((await s.waitForLog((e) => e.msg === "listening")) as { port: number }).port;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cef-restart-"));
});
/** The server's own process: `tsx` runs it as a child, and a SIGKILL cannot be passed on. */
const serverPid = () => Number(fs.readFileSync(path.join(dataDir, "server.pid"), "utf8"));

afterEach(() => {
  for (const s of running.splice(0)) stopIfRunning(s);
  try {
    process.kill(serverPid(), "SIGKILL"); // a server left behind by a failed test
  } catch {
    // none
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("killed with SIGKILL and restarted at once on the same data directory, the server starts and has its data", async () => {
  const first = start({});
  const port = await portOf(first);
  const made = await call(port, "POST", "/v1/courts", { code: "KILL9", name: "Court made before kill -9" });
  expect(made.status).toBe(201);

  // kill -9 of the server itself (as the kernel's OOM killer or a supervisor would), and the next
  // start at once, while the dead process may not yet be reaped.
  const pid = serverPid();
  process.kill(pid, "SIGKILL");
  const second = start({});
  await first.exited;
  const again = await portOf(second);
  expect((await call(again, "GET", "/readyz")).status).toBe(200);
  const courts = await call(again, "GET", "/v1/courts?limit=500");
  expect((courts.body as { data: { code: string }[] }).data.map((c) => c.code)).toContain("KILL9");
  expect(serverPid()).not.toBe(pid);

  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);
});

test("SIGTERM with a request in flight that never finishes: its connection is closed before the grace period ends and the process exits", async () => {
  const server = start({ SHUTDOWN_GRACE_MS: "3000" });
  const port = await portOf(server);

  // A request whose body never comes (headers sent, the server said 100 Continue).
  const stuck = http.request({
    host: "127.0.0.1",
    port,
    agent: false,
    method: "POST",
    path: "/v1/courts",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json", "Content-Length": "1000", Expect: "100-continue" },
  });
  const stuckClosed = new Promise<void>((resolve) => {
    stuck.on("error", () => resolve());
    stuck.on("close", () => resolve());
  });
  stuck.flushHeaders();
  await once(stuck, "continue");

  server.child.kill("SIGTERM");
  await server.waitForLog((e) => e.msg === "grace period nearly over: closing the remaining connections");
  await stuckClosed;
  expect(await server.exited).toBe(0);
  expect(server.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  expect(fs.existsSync(path.join(dataDir, "server.pid"))).toBe(false);
});
