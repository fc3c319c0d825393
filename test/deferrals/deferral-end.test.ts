import request from "supertest";
import { courtWithStaff, createCase, receive, type Staff } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { expectProblem } from "../helpers/problem";
import { addDays, todayInChina } from "../../api/core/dates";

/**
 * Deferrals that end properly (issue 14 item 8). 最高法《关于执行款物管理工作的规定》: money is paid
 * within 30 days of arrival unless a lawful ground defers it (延缓发放); once the ground ceases it is
 * paid within 10 days. A deferral covers the days from its request, never earlier ones.
 */
let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "DE");
});
afterAll(async () => {
  await t.close();
});

const today = () => todayInChina();
const ask = (caseId: string, until = addDays(today(), 20)) =>
  request(t.app).post(`/v1/cases/${caseId}/deferrals`).set(s.clerk.auth).send({ reason: "amount_disputed", until, note: "分配方案异议" });
const post = (path: string, user = s.approver, body?: Record<string, unknown>) => {
  const r = request(t.app).post(path).set(user.auth);
  return body ? r.send(body) : r;
};
const overdueOn = async (caseId: string, asOf: string) => {
  const res = await request(t.app).get("/v1/reports/held-funds").query({ asOf, courtId: s.court.id }).set(s.approver.auth);
  expect(res.status).toBe(200);
  return res.body.cases.find((c: { caseId: string }) => c.caseId === caseId)?.overdue ?? "0.00";
};

async function caseWithOldMoney() {
  const c = await createCase(t, s.clerk, s.court.id, { filedOn: "2023-06-01" });
  await receive(t, s.clerk, c.id, "700.00", addDays(today(), -45)); // due 15 days ago
  return c;
}

describe("a deferral covers the days from its request, never earlier ones", () => {
  test("approved today, it lifts today's overdue money but not the days before its request", async () => {
    const c = await caseWithOldMoney();
    const d = await ask(c.id);
    expect(d.body).toMatchObject({ status: "pending", requestedOn: today(), endedOn: null, payBy: null });
    expect((await post(`/v1/deferrals/${d.body.id}/approve`)).status).toBe(200);
    expect(await overdueOn(c.id, today())).toBe("0.00");
    expect(await overdueOn(c.id, addDays(today(), -1))).toBe("700.00");
  });
});

describe("rejecting and ending", () => {
  test("an approver rejects with a reason: not the requester (403 same_person), then rejected is final and audited", async () => {
    const c = await caseWithOldMoney();
    const d = await ask(c.id);
    expectProblem(await post(`/v1/deferrals/${d.body.id}/reject`, s.clerk, { reason: "x" }), 403, "forbidden");
    const rejected = await post(`/v1/deferrals/${d.body.id}/reject`, s.approver, { reason: "异议已审结，无延缓理由" });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: "rejected", rejectedBy: s.approver.id, rejectReason: "异议已审结，无延缓理由" });
    expect(await overdueOn(c.id, today())).toBe("700.00");
    expectProblem(await post(`/v1/deferrals/${d.body.id}/approve`, s.approver2), 409, "invalid_state");
    const event = await t.db.knex("audit_events").where({ entity_id: d.body.id, action: "deferral.rejected" }).first();
    expect(event.data).toMatchObject({ reason: "异议已审结，无延缓理由", before: { status: "pending" }, after: { status: "rejected" } });
    expectProblem(await post(`/v1/deferrals/${d.body.id}/reject`, s.approver2, {}), 400, "validation_failed");
  });

  test("the ground ceases: /end gives payBy = endedOn + 10 days; the money is covered to payBy and overdue after it", async () => {
    const c = await caseWithOldMoney();
    const d = await ask(c.id, addDays(today(), 60));
    await post(`/v1/deferrals/${d.body.id}/approve`);
    // Entered as if asked 40 days ago (the request day is what coverage counts from).
    await t.db.knex("deferrals").where({ id: d.body.id }).update({ requested_on: addDays(today(), -40) });
    const endedOn = addDays(today(), -15);
    const ended = await post(`/v1/deferrals/${d.body.id}/end`, s.clerk, { endedOn, reason: "分配方案异议之诉已判决" });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: "ended", endedOn, payBy: addDays(today(), -5), endedBy: s.clerk.id, endReason: "分配方案异议之诉已判决" });
    expect(await overdueOn(c.id, addDays(today(), -5))).toBe("0.00");
    expect(await overdueOn(c.id, addDays(today(), -4))).toBe("700.00");
    expect(await overdueOn(c.id, today())).toBe("700.00");
    const listed = await request(t.app).get("/v1/deferrals").query({ courtId: s.court.id, status: "ended" }).set(s.clerk.auth);
    expect(listed.body.data.map((x: { id: string }) => x.id)).toContain(d.body.id);
    expectProblem(await post(`/v1/deferrals/${d.body.id}/end`, s.clerk, { endedOn, reason: "again" }), 409, "invalid_state");
  });

  test.each([
    ["in the future", (today: string) => addDays(today, 1)],
    ["before its request", (today: string) => addDays(today, -1)],
  ])("an end date %s is 400 and nothing changes", async (_what, endedOn) => {
    const c = await caseWithOldMoney();
    const d = await ask(c.id);
    await post(`/v1/deferrals/${d.body.id}/approve`);
    expectProblem(await post(`/v1/deferrals/${d.body.id}/end`, s.clerk, { endedOn: endedOn(today()), reason: "x" }), 400, "validation_failed");
    expect((await t.db.knex("deferrals").where({ id: d.body.id }).first()).ended_on).toBeNull();
  });

  test("only an approved deferral ends (a pending one is 409); GET /v1/deferrals filters by status", async () => {
    const c = await caseWithOldMoney();
    const d = await ask(c.id);
    expectProblem(await post(`/v1/deferrals/${d.body.id}/end`, s.clerk, { endedOn: today(), reason: "x" }), 409, "invalid_state");
    const pending = await request(t.app).get("/v1/deferrals").query({ courtId: s.court.id, status: "pending", caseId: c.id }).set(s.clerk.auth);
    expect(pending.body).toEqual({ data: [expect.objectContaining({ id: d.body.id, status: "pending" })], nextCursor: null });
    expectProblem(await request(t.app).get("/v1/deferrals").query({ status: "maybe" }).set(s.clerk.auth), 400, "validation_failed");
  });
});

describe("bank account changes can be rejected", () => {
  test("an approver rejects with a reason; the account on file stays; the requester cannot reject her own", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    const applicant = c.parties.find((p) => p.role === "applicant")!;
    const asked = await request(t.app)
      .post(`/v1/parties/${applicant.id}/bank-account-changes`)
      .set(s.clerk.auth)
      .send({ bankAccount: { bankName: "农业银行", accountName: "张三", accountNumber: "6228480012345678" } });
    expect(asked.status).toBe(201);
    const before = await t.db.knex("parties").where({ id: applicant.id }).first();
    expectProblem(await post(`/v1/bank-account-changes/${asked.body.id}/reject`, s.clerk, { reason: "x" }), 403, "forbidden");
    const rejected = await post(`/v1/bank-account-changes/${asked.body.id}/reject`, s.approver, { reason: "户名与申请执行人不符" });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: "rejected", rejectedBy: s.approver.id, rejectReason: "户名与申请执行人不符" });
    expect(await t.db.knex("parties").where({ id: applicant.id }).first()).toEqual(before);
    expect(JSON.stringify(rejected.body)).not.toContain("6228480012345678");
  });
});
