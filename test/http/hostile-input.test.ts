import request from "supertest";
import { courtWithStaff, createCase } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { listOperations, loadOpenApiDocument } from "../../api/http/openapi-document";

/**
 * Issue 17, finding 2: input that used to produce 500s. Each is now a 400 with a stable code,
 * and nothing is written.
 */
let t: TestApp;
let s: Awaited<ReturnType<typeof courtWithStaff>>;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t);
});
afterAll(async () => {
  await t.close();
});

const NUL = "\u0000";
const LONE = "\ud800";

describe("text the database cannot hold or a reader could be fooled by", () => {
  test("a NUL or a lone surrogate in a text field is a 400 naming the field, and nothing is written", async () => {
    for (const bad of [`李${NUL}四`, `李${LONE}四`, `${LONE}`]) {
      const body = { courtId: s.court.id, caseNumber: "(2024)湘1129执55501号", cause: bad, filedOn: "2024-01-05", adjudicatedAmount: "100.00", applicants: [{ name: "甲", kind: "person" }], debtors: [{ name: "乙", kind: "person" }] };
      const res = await request(t.app).post("/v1/cases").set(s.clerk.auth).send(body);
      expectProblem(res, 400, "validation_failed");
      expect(res.body.errors).toEqual([expect.objectContaining({ path: "body.cause" })]);
    }
    expect(await t.db.knex("cases").where({ court_id: s.court.id })).toEqual([]);
  });

  test("a NUL or a lone surrogate in a text filter is a 400, the public lookup included", async () => {
    expectProblem(await request(t.app).get("/v1/public/dishonest-debtors").query({ name: `${NUL}${NUL}` }), 400, "validation_failed");
    expectProblem(await request(t.app).get("/v1/public/dishonest-debtors?name=%00%00"), 400, "validation_failed");
    expectProblem(await request(t.app).get(`/v1/cases?q=${encodeURIComponent("张" + NUL)}`).set(s.clerk.auth), 400, "validation_failed");
    expectProblem(await request(t.app).get("/v1/listings?name=%ED%A0%80").set(s.officer.auth), 400, "validation_failed");
  });

  test("bidi controls are refused in names and notes, so that a name cannot be made to display as another", async () => {
    const res = await request(t.app)
      .post("/v1/cases")
      .set(s.clerk.auth)
      .send({ courtId: s.court.id, caseNumber: "(2024)湘1129执55502号", cause: "借款", filedOn: "2024-01-05", adjudicatedAmount: "100.00", applicants: [{ name: "\u202e甲乙", kind: "person" }], debtors: [{ name: "乙", kind: "person" }] });
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors[0].path).toBe("body.applicants.0.name");
  });
});

describe("look-alike case numbers (finding 7)", () => {
  test("zero-width characters, a word joiner, a leading RTL mark or full-width digits do not make a second case number", async () => {
    await createCase(t, s.clerk, s.court.id, { caseNumber: "(2024)湘1129执9902号" });
    for (const twin of ["(2024)湘1129执99\u200b02号", "(2024)湘1129执99\u206002号", "(2024)湘1129执\uff19\uff19\uff10\uff12号", "（２０２４）湘1129执9902号", "\u200b(2024)湘1129执9902号\ufeff"]) {
      const res = await request(t.app)
        .post("/v1/cases")
        .set(s.clerk.auth)
        .send({ courtId: s.court.id, caseNumber: twin, cause: "借款", filedOn: "2024-01-05", adjudicatedAmount: "100.00", applicants: [{ name: "甲", kind: "person" }], debtors: [{ name: "乙", kind: "person" }] });
      expectProblem(res, 409, "conflict");
    }
    // A leading RTL mark is a bidi control: refused outright.
    const rtl = await request(t.app)
      .post("/v1/cases")
      .set(s.clerk.auth)
      .send({ courtId: s.court.id, caseNumber: "\u200f(2024)湘1129执9902号", cause: "借款", filedOn: "2024-01-05", adjudicatedAmount: "100.00", applicants: [{ name: "甲", kind: "person" }], debtors: [{ name: "乙", kind: "person" }] });
    expect([400, 409]).toContain(rtl.status);
    expect(await t.db.knex("cases").where({ court_id: s.court.id })).toHaveLength(1);
  });
});

describe("malformed paths, cursors, numbers and dates", () => {
  test("malformed percent-encoding in a path id is a 400 on every operation with a path id", async () => {
    const ops = listOperations(loadOpenApiDocument()).filter((o) => o.pathTemplate.includes("{"));
    expect(ops.length).toBeGreaterThan(25);
    for (const op of ops) {
      for (const bad of ["%ZZ", "%ED%A0%80", "%C0%80"]) {
        const url = op.pathTemplate.replace(/\{[^}]+\}/g, bad);
        const res = await request(t.app)[op.method](url).set(t.admin.auth).set("Idempotency-Key", "k-00000001").send({});
        expect({ op: op.operationId, bad, status: res.status }).toEqual({ op: op.operationId, bad, status: 400 });
      }
    }
  });

  test("a cursor of the right shape with the wrong types is a 400 on every list", async () => {
    const wrong = Buffer.from(JSON.stringify(["x", "y"])).toString("base64url");
    const wrongOne = Buffer.from(JSON.stringify(["x"])).toString("base64url");
    const lists: [string, Record<string, string>, ReturnType<typeof s.clerk.auth extends never ? never : () => { Authorization: string }>][] = [];
    void lists;
    for (const [url, auth] of [
      ["/v1/cases", s.clerk.auth],
      ["/v1/payout-batches", s.clerk.auth],
      ["/v1/listings", s.officer.auth],
      ["/v1/freezes", s.clerk.auth],
      ["/v1/courts", s.clerk.auth],
      ["/v1/users", t.admin.auth],
      ["/v1/api-tokens", t.admin.auth],
    ] as const) {
      expectProblem(await request(t.app).get(url).query({ cursor: wrong }).set(auth), 400, "validation_failed");
    }
    expectProblem(await request(t.app).get("/v1/audit-events").query({ cursor: wrongOne }).set(t.admin.auth), 400, "validation_failed");
  });

  test("integers are parsed strictly: 0x10, 1e2, +5, 5.0 and blanks are 400s", async () => {
    for (const limit of ["0x10", "1e2", "+5", "5.0", " 5", "5 ", ""]) {
      expectProblem(await request(t.app).get("/v1/cases").query({ limit }).set(s.clerk.auth), 400, "validation_failed");
    }
    expect((await request(t.app).get("/v1/cases").query({ limit: "5" }).set(s.clerk.auth)).status).toBe(200);
  });

  test("a malformed or out-of-range report date is a 400; business dates lie between 1950 and ten years ahead", async () => {
    for (const from of ["2024-1-1", "2024-02-30", "24-01-01", "2024-01-01T00:00:00Z"]) {
      expectProblem(await request(t.app).get("/v1/reports/disbursements").query({ from, to: "2024-12-31" }).set(s.inspector.auth), 400, "validation_failed");
      expectProblem(await request(t.app).get("/v1/reports/debtor-list").query({ from, to: "2024-12-31" }).set(s.inspector.auth), 400, "validation_failed");
      expectProblem(await request(t.app).get("/v1/reports/held-funds").query({ asOf: from }).set(s.inspector.auth), 400, "validation_failed");
    }
    const old = await request(t.app)
      .post("/v1/cases")
      .set(s.clerk.auth)
      .send({ courtId: s.court.id, caseNumber: "(1900)湘1129执1号", cause: "借款", filedOn: "1900-01-01", adjudicatedAmount: "100.00", applicants: [{ name: "甲", kind: "person" }], debtors: [{ name: "乙", kind: "person" }] });
    expectProblem(old, 400, "validation_failed");
  });

  test("a deferral cannot reach centuries ahead: until is at most a year from today", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    const res = await request(t.app).post(`/v1/cases/${c.id}/deferrals`).set(s.clerk.auth).send({ reason: "other", until: "2999-12-31" });
    expectProblem(res, 400, "validation_failed");
  });
});
