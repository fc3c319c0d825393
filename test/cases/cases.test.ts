import request from "supertest";
import { caseBody, courtWithStaff, createCase } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe("recording a case", () => {
  test("a clerk records a case; id and account numbers are masked and balances start at zero", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const body = caseBody(court.id);
    const res = await request(t.app).post("/v1/cases").set(clerk.auth).send(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      courtId: court.id,
      caseNumber: body.caseNumber,
      adjudicatedAmount: "80000.00",
      status: "open",
      fullyPerformedOn: null,
      overdueAmount: "0.00",
      balances: { received: "0.00", disbursed: "0.00", held: "0.00", reserved: "0.00", available: "0.00", outstanding: "80000.00" },
    });
    const [applicant, debtor] = res.body.parties;
    expect(applicant).toMatchObject({ role: "applicant", idNumberMasked: "4311**********1234" });
    expect(applicant.bankAccount).toEqual({ bankName: "中国农业银行江华支行", accountName: body.applicants[0].name, accountNumberMasked: "****9012" });
    expect(debtor).toMatchObject({ role: "debtor", idNumberMasked: "4311**********2345", bankAccount: null });
    expect(JSON.stringify(res.body)).not.toContain("431129198001011234");
    expect(JSON.stringify(res.body)).not.toContain("6228480123456789012");

    const stored = await t.db.knex("parties").where({ case_id: res.body.id }).orderBy("position");
    expect(stored.map((p) => p.id_number)).toEqual(["431129198001011234", "431129197505052345"]);
  });

  test("full-width parentheses and blanks do not make a second case with the same number", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const first = await request(t.app).post("/v1/cases").set(clerk.auth).send(caseBody(court.id, { caseNumber: "(2024)湘1129执123号" }));
    expect(first.status).toBe(201);
    const again = await request(t.app).post("/v1/cases").set(clerk.auth).send(caseBody(court.id, { caseNumber: "  （2024）湘1129执123号　" }));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("conflict");
    expect(await t.db.knex("cases").where({ court_id: court.id })).toHaveLength(1);

    const found = await request(t.app).get("/v1/cases").query({ courtId: court.id, caseNumber: "（2024）湘1129执123号" }).set(clerk.auth);
    expect(found.body.data.map((c: { id: string }) => c.id)).toEqual([first.body.id]);
  });

  test("the same case number in another court is another case", async () => {
    const a = await courtWithStaff(t);
    const b = await courtWithStaff(t);
    const number = "(2024)湘1129执777号";
    expect((await request(t.app).post("/v1/cases").set(a.clerk.auth).send(caseBody(a.court.id, { caseNumber: number }))).status).toBe(201);
    expect((await request(t.app).post("/v1/cases").set(b.clerk.auth).send(caseBody(b.court.id, { caseNumber: number }))).status).toBe(201);
  });

  test("a clerk cannot record a case in a court she does not belong to: 404, nothing stored", async () => {
    const mine = await courtWithStaff(t);
    const other = await t.court();
    const res = await request(t.app).post("/v1/cases").set(mine.clerk.auth).send(caseBody(other.id));
    expect(res.status).toBe(404);
    expect(await t.db.knex("cases").where({ court_id: other.id })).toHaveLength(0);
  });

  test("an inspector reads cases but cannot record one (403 forbidden)", async () => {
    const { court, clerk, inspector } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    expect((await request(t.app).get(`/v1/cases/${c.id}`).set(inspector.auth)).status).toBe(200);
    const res = await request(t.app).post("/v1/cases").set(inspector.auth).send(caseBody(court.id));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("forbidden");
  });

  test.each([
    ["a JSON number as money", { adjudicatedAmount: 80000 }, "body.adjudicatedAmount"],
    ["three decimals", { adjudicatedAmount: "1.005" }, "body.adjudicatedAmount"],
    ["exponent notation", { adjudicatedAmount: "1e5" }, "body.adjudicatedAmount"],
    ["a negative amount", { adjudicatedAmount: "-5.00" }, "body.adjudicatedAmount"],
    ["zero", { adjudicatedAmount: "0.00" }, "body.adjudicatedAmount"],
    ["over the maximum", { adjudicatedAmount: "10000000000000.00" }, "body.adjudicatedAmount"],
    ["a date that does not exist", { filedOn: "2024-02-30" }, "body.filedOn"],
    ["an unknown field", { status: "closed" }, "body.status"],
    ["no debtor", { debtors: [] }, "body.debtors"],
    ["a blank case number", { caseNumber: "  " }, "body.caseNumber"],
    ["a court id that is not a UUID", { courtId: "JH" }, "body.courtId"],
  ])("%s is a 400 naming the field, and nothing is stored", async (_what, override, path) => {
    const { court, clerk } = await courtWithStaff(t);
    const res = await request(t.app).post("/v1/cases").set(clerk.auth).send(caseBody(court.id, override));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await t.db.knex("cases").where({ court_id: court.id })).toHaveLength(0);
  });
});

describe("finding cases", () => {
  test("filters by status and party name, and pages without gaps", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await createCase(t, clerk, court.id));
    const special = await createCase(t, clerk, court.id, {
      debtors: [{ name: "湖南某某建设有限公司", kind: "organization", idNumber: "91431129MA4L000000" }],
    });
    const byName = await request(t.app).get("/v1/cases").query({ courtId: court.id, q: "某某建设" }).set(clerk.auth);
    expect(byName.status).toBe(200);
    expect(byName.body.data.map((c: { id: string }) => c.id)).toEqual([special.id]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.app)
        .get("/v1/cases")
        .query({ courtId: court.id, status: "open", limit: 2, ...(cursor ? { cursor } : {}) })
        .set(clerk.auth);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([special, ...made.reverse()].map((c) => c.id));

    const closed = await request(t.app).get("/v1/cases").query({ courtId: court.id, status: "closed" }).set(clerk.auth);
    expect(closed.body.data).toEqual([]);
  });

  test("another court's case answers 404, exactly like a case that does not exist", async () => {
    const a = await courtWithStaff(t);
    const b = await courtWithStaff(t);
    const c = await createCase(t, a.clerk, a.court.id);
    const res = await request(t.app).get(`/v1/cases/${c.id}`).set(b.clerk.auth);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
    const missing = await request(t.app).get(`/v1/cases/00000000-0000-4000-8000-000000000000`).set(b.clerk.auth);
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe(res.body.detail);
    const list = await request(t.app).get("/v1/cases").query({ courtId: a.court.id }).set(b.clerk.auth);
    expect(list.status).toBe(404);
  });

  test("a malformed id in the path is a 400, and a bad cursor is a 400", async () => {
    const { clerk, court } = await courtWithStaff(t);
    const res = await request(t.app).get("/v1/cases/not-a-uuid").set(clerk.auth);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe("path.id");
    const bad = await request(t.app).get("/v1/cases").query({ courtId: court.id, cursor: "garbage" }).set(clerk.auth);
    expect(bad.status).toBe(400);
  });
});

describe("closing a case", () => {
  test("a case with no money held closes; then it accepts no receipts", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const res = await request(t.app).post(`/v1/cases/${c.id}/close`).set(clerk.auth).send({ closureType: "terminated_this_round", closedOn: "2024-06-01" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "closed", closureType: "terminated_this_round", closedOn: "2024-06-01" });
    const again = await request(t.app).post(`/v1/cases/${c.id}/close`).set(clerk.auth).send({ closureType: "other", closedOn: "2024-06-02" });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("invalid_state");
  });

  test("closing as fully performed before the money arrived is refused", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const res = await request(t.app).post(`/v1/cases/${c.id}/close`).set(clerk.auth).send({ closureType: "fully_performed", closedOn: "2024-06-01" });
    expect(res.status).toBe(409);
    expect((await t.db.knex("cases").where({ id: c.id }).first()).status).toBe("open");
  });
});
