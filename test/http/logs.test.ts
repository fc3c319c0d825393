import { Writable } from "node:stream";
import request from "supertest";
import { createApp } from "../../api/app";
import { loadConfig } from "../../api/config";
import { createLogger } from "../../api/logger";
import { courtWithStaff } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";

/** Issue 17, finding 4: tokens and personal data never reach the logs, on either database. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

function capturingApp() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { app: createApp({ db: t.db, config: loadConfig({ NODE_ENV: "test" }), logger: createLogger("trace", "json", sink) }), log: () => lines.join("") };
}

test("a request that fails in the database with an id number and an account number in its body, and a token in its URL, logs none of them", async () => {
  const s = await courtWithStaff(t);
  const { app, log } = capturingApp();
  // Make the database refuse every new party, so that the failed INSERT (with its bound values) is logged.
  await t.db.knex.raw(`CREATE FUNCTION refuse_party() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'parties are refused in this test'; END $$`);
  await t.db.knex.raw(`CREATE TRIGGER refuse_party BEFORE INSERT ON parties FOR EACH ROW EXECUTE FUNCTION refuse_party()`);
  try {
    const res = await request(app)
      .post("/v1/cases")
      .set(s.clerk.auth)
      .send({
        courtId: s.court.id,
        caseNumber: "(2024)湘1129执31337号",
        cause: "借款合同纠纷",
        filedOn: "2024-01-05",
        adjudicatedAmount: "1000.00",
        applicants: [{ name: "李某", kind: "person", idNumber: "431129198012345678", bankAccount: { bankName: "农行", accountName: "李某", accountNumber: "6228480402564890018" } }],
        debtors: [{ name: "王某", kind: "person", idNumber: "43112919750505234X" }],
      });
    expect(res.status).toBe(500);
    expect(res.body.instance).toBe("/v1/cases");
    const text = log();
    expect(text).toContain("parties are refused in this test");
    for (const secret of ["431129198012345678", "43112919750505234X", "6228480402564890018", s.clerk.token]) expect(text).not.toContain(secret);
    // A token pasted into a URL is refused (an unknown query parameter) and never logged or echoed.
    const pasted = await request(app).get(`/v1/cases?access_token=${s.clerk.token}`).set(s.clerk.auth);
    expect(pasted.status).toBe(400);
    expect(JSON.stringify(pasted.body)).not.toContain(s.clerk.token);
    expect(log()).not.toContain(s.clerk.token);
    expect(log()).toContain("access_token=…");
  } finally {
    await t.db.knex.raw("DROP TRIGGER refuse_party ON parties");
    await t.db.knex.raw("DROP FUNCTION refuse_party()");
  }
});

test("a search by name or id number is logged without the searched text", async () => {
  const s = await courtWithStaff(t);
  const { app, log } = capturingApp();
  expect((await request(app).get("/v1/cases").query({ q: "431129198012345678", courtId: s.court.id }).set(s.clerk.auth)).status).toBe(200);
  expect((await request(app).get("/v1/public/dishonest-debtors").query({ name: "唐建军" })).status).toBe(200);
  const text = log();
  expect(text).not.toContain("431129198012345678");
  expect(text).not.toContain(encodeURIComponent("唐建军"));
  expect(text).not.toContain("唐建军");
  expect(text).toContain(`courtId=${s.court.id}`);
});
