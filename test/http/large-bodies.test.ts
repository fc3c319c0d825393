import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { courtWithStaff, newKey, type Staff } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";
import { startTestApp, type TestApp } from "../helpers/test-app";

let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t);
});
afterAll(async () => {
  await t.close();
});

const MB = 1024 * 1024;
const LARGE_ROUTES = [
  { path: "/v1/payout-batches", contentType: "application/json" },
  { path: "/v1/reports/disbursements/proof/verify", contentType: "application/json" },
  { path: "/v1/bank-statements", contentType: "text/csv" },
];

interface EarlyAnswer {
  status: number;
  body: { code?: string; status?: number; type?: string };
  /** How much of the announced body had been sent when the answer came. */
  bytesSent: number;
}

/**
 * Announces a body of `announcedBytes`, sends only its first 64 KB and waits for the answer: an
 * answer that comes shows that the server refused the body without waiting for (let alone
 * parsing) the rest of it. A server that read the body first would wait for ever (the test's timeout).
 */
async function postAndHoldBack(path: string, headers: Record<string, string>, announcedBytes: number): Promise<EarlyAnswer> {
  const server = http.createServer(t.app).listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  try {
    const req = http.request({ host: "127.0.0.1", port, path, method: "POST", headers: { ...headers, "Content-Length": String(announcedBytes) } });
    req.on("error", () => {}); // the server may close the connection once it has answered
    const answered = once(req, "response") as Promise<[http.IncomingMessage]>;
    const head = Buffer.alloc(64 * 1024, "x");
    req.write(head);
    const [response] = await answered;
    let text = "";
    for await (const chunk of response) text += chunk;
    req.destroy();
    return { status: response.statusCode ?? 0, body: JSON.parse(text), bytesSent: head.length };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe("the routes that take more than 1 MB read a body only from a signed-in user", () => {
  test.each(LARGE_ROUTES)("$path: a 30 MB body without a token is a 401 unauthorized before the body is read", async ({ path, contentType }) => {
    const res = await postAndHoldBack(path, { "Content-Type": contentType }, 30 * MB);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ status: 401, code: "unauthorized", type: expect.stringContaining("unauthorized") });
    expect(res.bytesSent).toBeLessThan(30 * MB);
  });

  test.each(LARGE_ROUTES)("$path: a token that is not valid is a 401 before the body is read too", async ({ path, contentType }) => {
    const res = await postAndHoldBack(path, { "Content-Type": contentType, Authorization: `Bearer ${"f".repeat(43)}` }, 30 * MB);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("unauthorized");
  });

  test("a small body without a token is a 401 as well, and a bodiless request is left to the runner (401 too)", async () => {
    const small = await request(t.app).post("/v1/payout-batches").set("Idempotency-Key", newKey()).send({ courtId: s.court.id, items: [] });
    expectProblem(small, 401, "unauthorized");
    const bodiless = await request(t.app).get("/v1/payout-batches");
    expectProblem(bodiless, 401, "unauthorized");
  });

  test("with a valid token a 2 MB payout batch is read and judged on its content (400 for the unknown member, not 413)", async () => {
    const res = await request(t.app)
      .post("/v1/payout-batches")
      .set(s.clerk.auth)
      .set("Idempotency-Key", newKey())
      .send({ courtId: s.court.id, items: [], padding: "x".repeat(2 * MB) });
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^body/) })]));
    expect(Number((await t.db.knex("payout_batches").where({ court_id: s.court.id }).count<{ n: string }[]>("* as n"))[0].n)).toBe(0);
  });

  test("with a valid token a 2 MB proof pack body is read (400: not a pack), and one over 32 MB is still a 413", async () => {
    const read = await request(t.app).post("/v1/reports/disbursements/proof/verify").set(s.inspector.auth).send({ padding: "x".repeat(2 * MB) });
    expectProblem(read, 400, "validation_failed");
    const huge = await request(t.app).post("/v1/reports/disbursements/proof/verify").set(s.inspector.auth).send({ padding: "x".repeat(33 * MB) });
    expectProblem(huge, 413, "payload_too_large");
  });

  test("with a valid token a 2 MB bank statement is read and judged as a statement (422 statement_rejected, not 413)", async () => {
    const master = { bankName: "中国建设银行江华支行", accountName: "江华瑶族自治县人民法院", accountNumber: "43050101040012345" };
    expect((await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ masterAccount: master })).status).toBe(200);
    const csv = Buffer.from(`日期,金额\n${"2024-03-11,100.00\n".repeat((2 * MB) / 18)}`, "utf8");
    expect(csv.length).toBeGreaterThan(2 * MB);
    const res = await request(t.app).post("/v1/bank-statements").query({ courtId: s.court.id, layout: "icbc-detail", accountNumber: master.accountNumber }).set(s.finance.auth).set("Content-Type", "text/csv").send(csv);
    expectProblem(res, 422, "statement_rejected");
  });

  test("the other routes keep their order: an anonymous body over 1 MB is a 413 there, before authentication", async () => {
    const res = await request(t.app).post("/v1/courts").set("Content-Type", "application/json").send(JSON.stringify({ name: "y".repeat(2 * MB) }));
    expectProblem(res, 413, "payload_too_large");
  });
});
