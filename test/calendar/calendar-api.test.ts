import request from "supertest";
import { expectProblem } from "../helpers/problem";
import { startTestApp, type TestApp } from "../helpers/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe("the working-day calendar over HTTP", () => {
  test("the official 2024 calendar is built in: National Day off, its make-up Sundays on", async () => {
    const court = await t.court();
    const officer = await t.user(["list_officer"], [court.id]);
    const res = await request(t.app).get("/v1/calendar/2024").set(officer.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2024, calendarKnown: true, source: "official", updatedBy: null });
    expect(res.body.holidays).toEqual(expect.arrayContaining(["2024-10-01", "2024-10-07", "2024-02-10"]));
    expect(res.body.workdays).toEqual(["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12"]);
  });

  test("a year without a calendar answers calendarKnown false and no days (Monday–Friday)", async () => {
    const res = await request(t.app).get("/v1/calendar/2031").set(t.admin.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ year: 2031, calendarKnown: false, source: null, holidays: [], workdays: [], updatedAt: null, updatedBy: null });
  });

  test("the 3rd working day after Monday 30 September 2024 is Thursday 10 October 2024", async () => {
    const res = await request(t.app).get("/v1/working-days").query({ after: "2024-09-30", count: 3 }).set(t.admin.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ after: "2024-09-30", count: 3, date: "2024-10-10", calendarKnown: true });
  });

  test("an admin publishes next year's calendar; deadlines in it use it at once, and the change is audited", async () => {
    const before = await request(t.app).get("/v1/working-days").query({ after: "2027-09-30", count: 3 }).set(t.admin.auth);
    // Without a 2027 notice, National Day 1–3 October is still off (放假办法 art. 2).
    expect(before.body).toEqual({ after: "2027-09-30", count: 3, date: "2027-10-06", calendarKnown: false });

    const holidays = ["2027-10-01", "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07"];
    const put = await request(t.app).put("/v1/calendar/2027").set(t.admin.auth).send({ holidays, workdays: ["2027-10-09"] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ year: 2027, calendarKnown: true, source: "admin", holidays, workdays: ["2027-10-09"], updatedBy: t.admin.id });

    const afterPut = await request(t.app).get("/v1/working-days").query({ after: "2027-09-30", count: 3 }).set(t.admin.auth);
    expect(afterPut.body).toEqual({ after: "2027-09-30", count: 3, date: "2027-10-11", calendarKnown: true });

    const row = await t.db.knex("calendar_years").where({ year: 2027 }).first();
    expect(row.source).toBe("admin");
    const events = await t.db.knex("audit_events").where({ action: "calendar.replaced", entity_id: "2027" });
    expect(events).toHaveLength(1);
    expect(events[0].actor_id).toBe(t.admin.id);
  });

  test("replacing a year that exists keeps the old days in the audit event", async () => {
    const put = await request(t.app).put("/v1/calendar/2025").set(t.admin.auth).send({ holidays: ["2025-01-01"], workdays: [] });
    expect(put.status).toBe(200);
    const event = await t.db.knex("audit_events").where({ action: "calendar.replaced", entity_id: "2025" }).first();
    expect(event.data.previous).toMatchObject({ source: "official" });
    expect(event.data.previous.holidays).toHaveLength(28);
  });

  test.each([
    ["a make-up working day on a weekday", { holidays: [], workdays: ["2028-03-01"] }, "body.workdays.0"],
    ["a date of another year", { holidays: ["2029-01-01"], workdays: [] }, "body.holidays.0"],
    ["a day both off and on", { holidays: ["2028-03-04"], workdays: ["2028-03-04"] }, "body.workdays.0"],
    ["an impossible date", { holidays: ["2028-02-30"], workdays: [] }, "body.holidays.0"],
    ["an unknown field", { holidays: [], workdays: [], notice: "x" }, "body.notice"],
  ])("%s is refused with 400 and nothing is stored", async (_what, body, path) => {
    const res = await request(t.app).put("/v1/calendar/2028").set(t.admin.auth).send(body);
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await t.db.knex("calendar_years").where({ year: 2028 })).toHaveLength(0);
  });

  test("only an admin may replace a calendar; reading needs a token", async () => {
    const court = await t.court();
    const officer = await t.user(["list_officer", "approver"], [court.id]);
    const res = await request(t.app).put("/v1/calendar/2029").set(officer.auth).send({ holidays: [], workdays: [] });
    expectProblem(res, 403, "forbidden");
    expectProblem(await request(t.app).get("/v1/calendar/2024"), 401, "unauthorized");
    expectProblem(await request(t.app).get("/v1/calendar/20x4").set(officer.auth), 400, "validation_failed");
  });
});
