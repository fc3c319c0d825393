import request from "supertest";
import { courtWithStaff } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";
import { startTestApp, type TestApp } from "../helpers/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const staffOf = (courtId: string, auth: { Authorization: string }) => request(t.app).get(`/v1/courts/${courtId}/staff`).set(auth);

describe("the court's staff, for naming who is responsible for a finding", () => {
  test("the court's inspector sees its active staff by name — id, name and roles only — and not its inspectors, nor a deactivated clerk", async () => {
    const s = await courtWithStaff(t, "ST");
    const both = await t.user(["clerk", "finance"], [s.court.id], "两岗人员");
    const gone = await t.user(["clerk"], [s.court.id], "已离职书记员");
    expect((await request(t.app).post(`/v1/users/${gone.id}/deactivate`).set(t.admin.auth)).status).toBe(200);
    const elsewhere = await courtWithStaff(t, "SO");

    const res = await staffOf(s.court.id, s.inspector.auth);
    expect(res.status).toBe(200);
    const ids = res.body.data.map((u: { id: string }) => u.id).sort();
    expect(ids).toEqual([s.clerk.id, s.finance.id, s.officer.id, s.approver.id, s.approver2.id, both.id].sort());
    expect(ids).not.toContain(s.inspector.id);
    expect(ids).not.toContain(gone.id);
    expect(ids).not.toContain(elsewhere.clerk.id);
    const member = res.body.data.find((u: { id: string }) => u.id === both.id);
    expect(member).toEqual({ id: both.id, name: "两岗人员", roles: ["clerk", "finance"] });
    // Nothing but the three fields, for everyone listed.
    for (const u of res.body.data) expect(Object.keys(u).sort()).toEqual(["id", "name", "roles"]);
    const names = res.body.data.map((u: { name: string }) => u.name);
    expect(names).toEqual([...names].sort());
  });

  test("another court's inspector gets 404, as for a court that does not exist; an admin sees any court", async () => {
    const s = await courtWithStaff(t, "SA");
    const other = await courtWithStaff(t, "SB");
    expectProblem(await staffOf(s.court.id, other.inspector.auth), 404, "not_found");
    expectProblem(await staffOf(crypto.randomUUID(), s.inspector.auth), 404, "not_found");
    const admin = await staffOf(s.court.id, t.admin.auth);
    expect(admin.status).toBe(200);
    expect(admin.body.data).toHaveLength(5); // clerk, finance, list officer, two approvers
  });

  test("the court's own staff do not list their colleagues here: a clerk gets 403", async () => {
    const s = await courtWithStaff(t, "SC");
    expectProblem(await staffOf(s.court.id, s.clerk.auth), 403, "forbidden");
    expectProblem(await request(t.app).get(`/v1/courts/not-a-uuid/staff`).set(s.inspector.auth), 400, "validation_failed");
  });

  test("a user picked from the list is accepted as the finding's responsible user", async () => {
    const s = await courtWithStaff(t, "SD");
    const inspection = await request(t.app).post("/v1/inspections").set(s.inspector.auth).send({ courtId: s.court.id, name: "巡察组进驻", from: "2024-03-01", to: "2024-06-30" });
    const [first] = (await staffOf(s.court.id, s.inspector.auth)).body.data;
    const finding = await request(t.app)
      .post(`/v1/inspections/${inspection.body.id}/findings`)
      .set(s.inspector.auth)
      .send({ category: "other", description: "案款台账登记不及时", severity: "low", entities: [], responsibleUserId: first.id, foundOn: "2024-06-01", rectifyBy: "2024-07-01" });
    expect(finding.status).toBe(201);
    expect(finding.body.responsibleUserId).toBe(first.id);
  });
});
