import request from "supertest";
import { courtWithStaff, createCase, getCase, receive } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { addDays, todayInChina } from "../../api/core/dates";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe("held money past disburseBy is overdue unless a deferral covers today", () => {
  test("money held 30+ days is overdue; an approved deferral lifts it, a pending one does not", async () => {
    const { court, clerk, approver } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id, { filedOn: "2023-06-01" });
    const old = addDays(todayInChina(), -45);
    await receive(t, clerk, c.id, "700.00", old);
    await receive(t, clerk, c.id, "300.00", todayInChina());
    expect((await getCase(t, clerk, c.id)).overdueAmount).toBe("700.00");

    const asked = await request(t.app)
      .post(`/v1/cases/${c.id}/deferrals`)
      .set(clerk.auth)
      .send({ reason: "applicant_unreachable", until: addDays(todayInChina(), 10), note: "申请人联系不上" });
    expect(asked.status).toBe(201);
    expect(asked.body.status).toBe("pending");
    expect((await getCase(t, clerk, c.id)).overdueAmount).toBe("700.00");

    const selfApproved = await request(t.app).post(`/v1/deferrals/${asked.body.id}/approve`).set(clerk.auth);
    expect(selfApproved.status).toBe(403);
    const approved = await request(t.app).post(`/v1/deferrals/${asked.body.id}/approve`).set(approver.auth);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe("approved");
    expect((await getCase(t, clerk, c.id)).overdueAmount).toBe("0.00");
  });

  test("a deferral cannot end in the past", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const res = await request(t.app).post(`/v1/cases/${c.id}/deferrals`).set(clerk.auth).send({ reason: "other", until: "2020-01-01" });
    expect(res.status).toBe(400);
    expect(await t.db.knex("deferrals").where({ case_id: c.id })).toHaveLength(0);
  });
});
