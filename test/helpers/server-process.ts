import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import path from "node:path";

/**
 * The real server process, as `npm start` and the image run it (`node dist/api/server.js`, the
 * build that the tests' global set-up keeps fresh: one process, so that a signal reaches the server
 * itself), for tests that start, stop and kill it (taken from test/http/server.test.ts).
 */
export const ROOT = path.join(__dirname, "..", "..");
const { SERVER_NODE_FLAGS } = require("../../scripts/build-api") as { SERVER_NODE_FLAGS: string[] };
export const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
export const ADMIN_TOKEN = "test-bootstrap-" + crypto.randomBytes(24).toString("hex");

export interface Running {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  /** Resolves with the first log line (JSON) that matches; rejects if the process exits first. */
  waitForLog(match: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

export function startServer(env: Record<string, string | undefined>): Running {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: "0", DEMO_SEED: "0", LOG_LEVEL: "info", NODE_ENV: "development", ...env };
  delete childEnv.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the server
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, "dist/api/server.js"], { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let stderr = "";
  const waiters: { match: (e: Record<string, unknown>) => boolean; resolve: (e: Record<string, unknown>) => void }[] = [];
  let partial = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    partial += chunk;
    const complete = partial.split("\n");
    partial = complete.pop() ?? "";
    for (const line of complete) {
      lines.push(line);
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line);
      } catch {
        continue; // the human banner
      }
      for (const w of [...waiters]) {
        if (w.match(entry)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(entry);
        }
      }
    }
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLog(match) {
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        void exited.then((code) => reject(new Error(`server exited (${code}) first:\n${lines.join("\n")}\n${stderr}`)));
      });
    },
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export async function call(port: number, method: string, urlPath: string, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const req = http.request({
    host: "127.0.0.1",
    port,
    agent: false, // a new connection each time: a pooled keep-alive socket would hide a refused connect
    method,
    path: urlPath,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(payload ? { "Content-Type": "application/json" } : {}) },
  });
  req.end(payload);
  const [res] = (await once(req, "response")) as [http.IncomingMessage];
  let text = "";
  for await (const chunk of res) text += chunk;
  return { status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export const stopIfRunning = (s: Running | undefined) => {
  if (s && s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
};

