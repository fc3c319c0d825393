import request from "supertest";
import { onRealPostgres } from "../helpers/test-db";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { activated, bearer, signIn } from "./sign-in-helpers";

if (!onRealPostgres) console.warn("sign-in race tests run only on real PostgreSQL (set DATABASE_URL): PGlite serialises every request");

(onRealPostgres ? describe : describe.skip)("sign-in races (real PostgreSQL)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test("twelve wrong passwords at once for one username: exactly five count, the other seven are 429", async () => {
    const court = await t.court();
    const u = await activated(t, ["clerk"], [court.id]);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(t.app, u.username, `wrong-${i}`)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    const failures = await t.db.knex("sign_in_attempts").where({ username_key: u.username, succeeded: false });
    expect(failures).toHaveLength(5);
  });

  test("a deactivated user's write already in flight does not land: it waits for the deactivation and answers 401", async () => {
    const s = await t.court();
    const u = await activated(t, ["clerk"], [s.id]);
    const tx = await t.db.knex.transaction();
    await tx("users").where({ id: u.id }).update({ active: false });
    // The request is authenticated (the deactivation is not committed yet), then its write waits on the user's row.
    const pending = request(t.app)
      .post("/v1/cases")
      .set(bearer(u.token))
      .send({ courtId: s.id, caseNumber: "(2026)湘1129执77777号", cause: "借款合同纠纷", filedOn: "2026-01-05", adjudicatedAmount: "1000.00", applicants: [{ name: "甲", kind: "person" }], debtors: [{ name: "乙", kind: "person" }] })
      .then((r) => r);
    await new Promise((r) => setTimeout(r, 300));
    await tx.commit();
    const res = await pending;
    expect(res.status).toBe(401);
    expect(await t.db.knex("cases").where({ case_number: "(2026)湘1129执77777号" })).toEqual([]);
  });
});
