import net from "node:net";
import type { AddressInfo } from "node:net";
import { createHttpServer, type TrackedServer } from "../../api/http/http-server";
import { createLogger } from "../../api/logger";
import { startTestApp, type TestApp } from "../helpers/test-app";

/**
 * Issue 17, finding 8: what Node's HTTP parser refuses before any request exists (headers too
 * large, not HTTP, headers that never finish) is answered as problem details, and a slow-header
 * connection is closed after HTTP_HEADERS_TIMEOUT_MS rather than after minutes.
 */
let t: TestApp;
let server: TrackedServer;
let port: number;

beforeAll(async () => {
  t = await startTestApp();
  server = createHttpServer(t.app, { http: { headersTimeoutMs: 1000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 500 } }, createLogger("silent"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

/** Writes raw bytes, collects everything until the server closes the connection. */
function raw(bytes: string, keepOpen = false): Promise<{ status: number; headers: string; body: Record<string, unknown> | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (c: string) => (text += c));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head, ...rest] = text.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const bodyText = rest.join("\r\n\r\n");
      resolve({ status, headers: head, text, body: bodyText ? JSON.parse(bodyText) : undefined });
    });
    socket.write(bytes);
    if (!keepOpen) socket.end();
  });
}

test("headers beyond Node's limit: 431 as problem details, code headers_too_large", async () => {
  const res = await raw(`GET /readyz HTTP/1.1\r\nHost: x\r\nX-Filler: ${"a".repeat(20_000)}\r\n\r\n`);
  expect(res.status).toBe(431);
  expect(res.headers).toMatch(/Content-Type: application\/problem\+json/);
  expect(res.headers).toMatch(/Connection: close/);
  expect(res.body).toMatchObject({ status: 431, code: "headers_too_large", type: expect.stringContaining("headers-too-large") });
});

test("bytes that are not HTTP: 400 as problem details, code validation_failed, naming no field", async () => {
  const res = await raw("HELLO THERE\r\n\r\n");
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ status: 400, code: "validation_failed", errors: [{ path: "", message: "malformed HTTP request" }] });
});

test("a client that never finishes its headers gets 408 as problem details and its connection is closed", async () => {
  const res = await raw("GET /readyz HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n", true);
  expect(res.status).toBe(408);
  expect(res.body).toMatchObject({ status: 408, code: "request_timeout" });
});

test("an ordinary request on the same server is answered as before", async () => {
  const res = await raw("GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true); // (the server closes it after answering)
  expect(res.status).toBe(200);
});
