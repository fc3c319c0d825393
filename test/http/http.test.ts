import { once } from "node:events";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import fc from "fast-check";
import request, { type Response } from "supertest";
import YAML from "yaml";
import { expectNoInternals, expectProblem } from "../helpers/problem";
import { startTestApp, unique, type TestApp } from "../helpers/test-app";
import { onRealPostgres } from "../helpers/test-db";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const countCourts = async () => Number((await t.db.knex("courts").count<{ n: string }[]>("* as n"))[0].n);

describe("bodies that are not JSON, or too big, are refused before anything runs", () => {
  test("malformed JSON is a 400 validation_failed problem, and nothing is stored", async () => {
    const before = await countCourts();
    for (const body of ['{"code": "A1", "name": ', "{code: 'A1'}", '{"code":"A1","name":"x"}}', "\"just a string\"", "nul"]) {
      const res = await request(t.app).post("/v1/courts").set(t.admin.auth).set("Content-Type", "application/json").send(body);
      expectProblem(res, 400, "validation_failed");
      expect(res.body.errors).toEqual([{ path: "", message: "malformed JSON" }]);
    }
    expect(await countCourts()).toBe(before);
  });

  test("a JSON array or an empty body where an object is expected is a 400 validation_failed", async () => {
    const asArray = await request(t.app).post("/v1/courts").set(t.admin.auth).send([{ code: "A1", name: "x" }]);
    expectProblem(asArray, 400, "validation_failed");
    const empty = await request(t.app).post("/v1/courts").set(t.admin.auth);
    expectProblem(empty, 400, "validation_failed");
  });

  test("a body that is not JSON is a 415 unsupported_media_type, even when it looks like JSON", async () => {
    const before = await countCourts();
    const code = unique("T").slice(0, 20);
    const cases: [string, string][] = [
      ["text/plain", JSON.stringify({ code, name: "plain" })],
      ["application/x-www-form-urlencoded", `code=${code}&name=form`],
      ["application/xml", `<court><code>${code}</code></court>`],
      ["application/json; charset=iso-8859-1", JSON.stringify({ code, name: "latin-1" })],
    ];
    for (const [contentType, body] of cases) {
      const res = await request(t.app).post("/v1/courts").set(t.admin.auth).set("Content-Type", contentType).send(body);
      expectProblem(res, 415, "unsupported_media_type");
    }
    expect(await countCourts()).toBe(before);
  });

  test("a body without any content type is a 415 too", async () => {
    const res = await request(t.app)
      .post("/v1/courts")
      .set(t.admin.auth)
      .set("Content-Length", "2")
      .unset("Content-Type")
      .send(Buffer.from("{}"));
    expectProblem(res, 415, "unsupported_media_type");
  });

  test("a 5 MB body is a 413 payload_too_large, whether or not it announces its length", async () => {
    const before = await countCourts();
    const big = JSON.stringify({ code: "BIG", name: "x".repeat(5 * 1024 * 1024) });
    const announced = await request(t.app).post("/v1/courts").set(t.admin.auth).set("Content-Type", "application/json").send(big);
    expectProblem(announced, 413, "payload_too_large");

    // Streamed in chunks with no Content-Length: the limit is enforced while reading.
    const chunked = await postChunked("/v1/courts", t.admin.auth, big);
    expect(chunked.headers).toMatchObject({ "transfer-encoding": "chunked" });
    expect(chunked.headers["content-length"]).toBeUndefined();
    expectProblem(chunked.res, 413, "payload_too_large");
    expect(await countCourts()).toBe(before);
  });

  test("a body just under 1 MB is read and judged on its content (400 for an over-long name, not 413)", async () => {
    const res = await request(t.app)
      .post("/v1/courts")
      .set(t.admin.auth)
      .send({ code: unique("U").slice(0, 20), name: "x".repeat(1000 * 1000) });
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors).toEqual([{ path: "body.name", message: expect.any(String) }]);
  });

  test("the body limit applies before authentication: an anonymous 5 MB body is a 413, not a 401", async () => {
    const res = await request(t.app)
      .post("/v1/courts")
      .set("Content-Type", "application/json")
      .send(JSON.stringify({ name: "y".repeat(5 * 1024 * 1024) }));
    expectProblem(res, 413, "payload_too_large");
  });
});

/** POSTs a body in 64 KB chunks (Transfer-Encoding: chunked) to the app on a real socket. */
async function postChunked(urlPath: string, headers: Record<string, string>, body: string) {
  const server = http.createServer(t.app).listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  try {
    const req = http.request({ host: "127.0.0.1", port, path: urlPath, method: "POST", headers: { ...headers, "Content-Type": "application/json", "Transfer-Encoding": "chunked" } });
    const answered = once(req, "response") as Promise<[http.IncomingMessage]>;
    req.on("error", () => {}); // the server may stop reading once it has refused the body
    for (let i = 0; i < body.length; i += 65536) {
      if (!req.write(body.slice(i, i + 65536))) await Promise.race([once(req, "drain"), answered]);
    }
    req.end();
    const [response] = await answered;
    let text = "";
    for await (const chunk of response) text += chunk;
    const res = { status: response.statusCode ?? 0, headers: response.headers, text, body: JSON.parse(text) } as unknown as Response;
    return { res, headers: req.getHeaders() };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe("unknown routes", () => {
  test("an unknown path or method is a 404 not_found problem naming the request", async () => {
    const unknown = await request(t.app).get("/no/such/thing");
    expectProblem(unknown, 404, "not_found");
    expect(unknown.body.detail).toContain("GET /no/such/thing");
    expect(unknown.body.instance).toBe("/no/such/thing");

    const underV1 = await request(t.app).post("/v1/nothing-here").set(t.admin.auth).send({ a: 1 });
    expectProblem(underV1, 404, "not_found");

    const wrongMethod = await request(t.app).delete("/v1/courts").set(t.admin.auth);
    expectProblem(wrongMethod, 404, "not_found");
  });
});

describe("ids in paths", () => {
  type Param = { name: string; in: string; schema?: { format?: string; $ref?: string }; $ref?: string };
  type Operation = { operationId: string; parameters?: Param[] };

  /** Every operation whose path holds a UUID id, with the names of those ids. */
  function operationsWithUuidPathParams() {
    const doc = YAML.parse(fs.readFileSync(path.join(__dirname, "..", "..", "openapi", "openapi.yaml"), "utf8"));
    const resolve = <T>(x: T & { $ref?: string }): T =>
      x.$ref ? (x.$ref.slice(2).split("/").reduce((node: Record<string, unknown>, key: string) => node[key] as Record<string, unknown>, doc) as T) : x;
    const found: { method: string; template: string; operationId: string; uuidParams: string[] }[] = [];
    for (const [template, item] of Object.entries(doc.paths as Record<string, Record<string, Operation> & { parameters?: Param[] }>)) {
      for (const method of ["get", "put", "post", "delete", "patch"]) {
        const op = item[method] as Operation | undefined;
        if (!op) continue;
        const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolve(p));
        const uuidParams = params.filter((p) => p.in === "path" && p.schema && resolve(p.schema).format === "uuid").map((p) => p.name);
        if (uuidParams.length > 0) found.push({ method, template, operationId: op.operationId, uuidParams });
      }
    }
    return found;
  }

  test("a malformed UUID in any path is a 400 validation_failed naming the path parameter, never a 500 or 404", async () => {
    const court = await t.court();
    const everyone = await t.user(["admin", "clerk", "finance", "approver", "list_officer", "inspector"], [court.id]);
    const operations = operationsWithUuidPathParams();
    // The foundation has no {id} path of its own: every feature's are covered here as they land.
    const answers: { operationId: string; param: string; status: number; code: string; paths: string[] }[] = [];
    for (const op of operations) {
      for (const bad of op.uuidParams) {
        const url = op.uuidParams.reduce(
          (u, name) => u.replace(`{${name}}`, name === bad ? "not-a-uuid" : "3f1e8a52-7c1d-4c55-9d0a-0b6f2c1e9a10"),
          op.template,
        );
        const req = request(t.app)[op.method as "get" | "post"](url).set(everyone.auth).set("Idempotency-Key", `bad-id-${unique("k")}`);
        const res = op.method === "get" ? await req : await req.send({});
        answers.push({
          operationId: op.operationId,
          param: bad,
          status: res.status,
          code: res.body?.code,
          paths: (res.body?.errors ?? []).map((e: { path: string }) => e.path),
        });
      }
    }
    expect(answers.length).toBeGreaterThanOrEqual(operations.length);
    for (const a of answers) {
      expect(a).toEqual({ ...a, status: 400, code: "validation_failed", paths: expect.arrayContaining([`path.${a.param}`]) });
    }
  });
});

describe("request ids", () => {
  test("a well-formed X-Request-Id is honoured, echoed, and quoted in a problem", async () => {
    const id = `client-${unique("r")}`;
    const ok = await request(t.app).get("/healthz").set("X-Request-Id", id);
    expect(ok.status).toBe(200);
    expect(ok.headers["x-request-id"]).toBe(id);

    const problem = await request(t.app).get("/v1/users/me").set("X-Request-Id", id);
    expectProblem(problem, 401, "unauthorized");
    expect(problem.headers["x-request-id"]).toBe(id);
    expect(problem.body.requestId).toBe(id);
  });

  test("without an X-Request-Id, or with a malformed one, the service makes a fresh UUID per request", async () => {
    const a = await request(t.app).get("/healthz");
    const b = await request(t.app).get("/healthz");
    const uuidForm = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(a.headers["x-request-id"]).toMatch(uuidForm);
    expect(b.headers["x-request-id"]).toMatch(uuidForm);
    expect(a.headers["x-request-id"]).not.toBe(b.headers["x-request-id"]);

    for (const bad of ["has spaces in it", "x".repeat(129), "<script>", "id\u00e9"]) {
      const res = await request(t.app).get("/healthz").set("X-Request-Id", bad);
      expect(res.headers["x-request-id"]).toMatch(uuidForm);
    }
  });
});

describe("operations endpoints", () => {
  test("/healthz answers ok without a token", async () => {
    const res = await request(t.app).get("/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  test("/readyz answers ok and names the database it reached", async () => {
    const res = await request(t.app).get("/readyz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", database: onRealPostgres ? "postgres" : "pglite" });
  });

  test("/metrics labels request durations by route template (never the raw URL) and exposes pool gauges", async () => {
    await request(t.app).get("/healthz");
    await request(t.app).get("/v1/courts?limit=3").set(t.admin.auth);
    await request(t.app).get(`/no-such-page-${unique("m")}`);

    const res = await request(t.app).get("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    const lines = res.text.split("\n");
    const countLine = (route: string, status: string) =>
      lines.find(
        (l) =>
          l.startsWith("http_request_duration_seconds_count{") &&
          l.includes(`route="${route}"`) &&
          l.includes(`status="${status}"`) &&
          l.includes('method="GET"'),
      );
    expect(countLine("/healthz", "200")).toBeDefined();
    expect(countLine("/v1/courts", "200")).toBeDefined();
    expect(countLine("unmatched", "404")).toBeDefined();
    expect(res.text).not.toContain("limit=3");
    expect(res.text).not.toContain("no-such-page");
    expect(res.text).toContain("# TYPE http_request_duration_seconds histogram");
    for (const gauge of ["db_pool_connections_used", "db_pool_connections_free", "db_pool_acquires_pending"]) {
      expect(res.text).toContain(`# TYPE ${gauge} gauge`);
      expect(lines.some((l) => new RegExp(`^${gauge} \\d+$`).test(l))).toBe(true);
    }
  });

  test("/openapi.json is exactly openapi/openapi.yaml, parsed", async () => {
    const res = await request(t.app).get("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    const yaml = YAML.parse(fs.readFileSync(path.join(__dirname, "..", "..", "openapi", "openapi.yaml"), "utf8"));
    expect(res.body).toEqual(yaml);
    expect(res.body.openapi).toBe("3.1.0");
  });
});

describe("nothing a client sends produces a 500", () => {
  test("arbitrary JSON bodies for creating a court are answered 201 or a 4xx problem, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
        const res = await request(t.app).post("/v1/courts").set(t.admin.auth).set("Content-Type", "application/json").send(JSON.stringify(body));
        if (res.status === 201) return;
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expectProblem(res, res.status, res.body.code);
      }),
      { numRuns: 60 },
    );
  });

  test("arbitrary bytes as a JSON body, and arbitrary query strings, are answered with a 4xx problem", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 200 }), async (text) => {
        const res = await request(t.app).post("/v1/users").set(t.admin.auth).set("Content-Type", "application/json").send(text);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), async (limit, cursor) => {
        const res = await request(t.app).get("/v1/courts").query({ limit, cursor }).set(t.admin.auth);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });
});

describe("when the server itself fails", () => {
  let broken: TestApp;
  beforeAll(async () => {
    broken = await startTestApp();
  });
  afterAll(async () => {
    await broken.close();
  });

  test("a database error is a 500 internal_error problem without stack, SQL or table names", async () => {
    // A real SQL error from the real database: the table the token lookup reads is gone.
    await broken.db.knex.raw("ALTER TABLE user_courts RENAME TO user_courts_gone");
    const res = await request(broken.app).get("/v1/users/me").set(broken.admin.auth).set("X-Request-Id", "broken-1");
    expectProblem(res, 500, "internal_error");
    expect(res.body.detail).not.toContain("user_courts");
    expect(res.text).not.toContain("user_courts");
    expect(res.body.requestId).toBe("broken-1");
    expect(Object.keys(res.body).sort()).toEqual(["code", "detail", "instance", "requestId", "status", "title", "type"]);
    await broken.db.knex.raw("ALTER TABLE user_courts_gone RENAME TO user_courts");
  });

  test("with the database gone, /readyz is a 503 service_unavailable problem and /healthz still answers", async () => {
    await broken.db.close();
    const ready = await request(broken.app).get("/readyz");
    expectProblem(ready, 503, "service_unavailable");
    expectNoInternals(ready.text);
    const health = await request(broken.app).get("/healthz");
    expect(health.status).toBe(200);
  });
});
