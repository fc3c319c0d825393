import request from "supertest";
import { addDays, todayInChina } from "../../api/core/dates";
import { courtWithStaff, receive, type Staff } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { expectProblem } from "../helpers/problem";
import { executed, fundedCase, item } from "../payouts/payout-helpers";

/**
 * Local deadlines and lateness with legal cause (issue 14 items 6 and 10). 最高法《关于执行款物管理
 * 工作的规定》: money is paid within 30 days of arrival; a court may work to a stricter local limit;
 * a payout past its deadline is lawful only under an approved deferral (延缓发放) asked for by then —
 * the rest is 无法定事由超期, the figure courts publish.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function courtWith(prefix: string, disbursementDeadlines: unknown[]): Promise<Staff> {
  const s = await courtWithStaff(t, prefix);
  const res = await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ disbursementDeadlines });
  expect(res.status).toBe(200);
  return s;
}
const report = (s: Staff, from: string, to: string) =>
  request(t.app).get("/v1/reports/disbursements").query({ from, to, courtId: s.court.id }).set(s.approver.auth);

describe("disburseBy is the earlier of the statutory and the local deadline, both shown", () => {
  test("5 working days under 100,000 and 10 above: across National Day 2024, and by amount band", async () => {
    const s = await courtWith("LD", [{ upTo: "100000.00", days: 5, kind: "working" }, { days: 10, kind: "working" }]);
    const small = await fundedCase(t, s, "0");
    const r1 = await receive(t, s.clerk, small.id, "50000.00", "2024-09-27");
    // Sunday 29 September is a make-up working day; 1–7 October are off.
    expect(r1).toMatchObject({ statutoryDisburseBy: "2024-10-27", localDisburseBy: "2024-10-10", disburseBy: "2024-10-10" });
    const big = await fundedCase(t, s, "0");
    expect(await receive(t, s.clerk, big.id, "200000.00", "2024-03-01")).toMatchObject({ statutoryDisburseBy: "2024-03-31", localDisburseBy: "2024-03-15", disburseBy: "2024-03-15" });
    // Held money is overdue after the local deadline (held-funds counts against disburseBy).
    const held = await request(t.app).get("/v1/reports/held-funds").query({ asOf: "2024-03-16", courtId: s.court.id }).set(s.approver.auth);
    expect(held.body.overdue).toContainEqual(expect.objectContaining({ caseId: big.id, disburseBy: "2024-03-15", amount: "200000.00" }));
  });

  test("15 calendar days; a court without local deadlines keeps the statutory 30 days only", async () => {
    const s = await courtWith("LC", [{ days: 15, kind: "calendar" }]);
    const c = await fundedCase(t, s, "0");
    expect(await receive(t, s.clerk, c.id, "10.00", "2024-05-01")).toMatchObject({ statutoryDisburseBy: "2024-05-31", localDisburseBy: "2024-05-16", disburseBy: "2024-05-16" });
    const plain = await courtWithStaff(t, "LN");
    const p = await fundedCase(t, plain, "0");
    expect(await receive(t, plain.clerk, p.id, "10.00", "2024-05-01")).toMatchObject({ statutoryDisburseBy: "2024-05-31", localDisburseBy: null, disburseBy: "2024-05-31" });
  });

  test("a local deadline longer than the statutory one is refused: 400, nothing changes", async () => {
    const s = await courtWithStaff(t, "LX");
    expectProblem(await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ disbursementDeadlines: [{ days: 31, kind: "calendar" }] }), 400, "validation_failed");
    expect((await request(t.app).get(`/v1/courts/${s.court.id}`).set(t.admin.auth)).body.settings.disbursementDeadlines).toEqual([]);
  });
});

describe("the disbursement report splits lateness by legal cause and counts against local deadlines", () => {
  /** A deferral approved now but entered as requested on `requestedOn`, covering to `until`. */
  async function deferral(s: Staff, caseId: string, requestedOn: string, until: string) {
    const asked = await request(t.app).post(`/v1/cases/${caseId}/deferrals`).set(s.clerk.auth).send({ reason: "amount_disputed", until: addDays(todayInChina(), 5) });
    expect(asked.status).toBe(201);
    expect((await request(t.app).post(`/v1/deferrals/${asked.body.id}/approve`).set(s.approver.auth)).status).toBe(200);
    await t.db.knex("deferrals").where({ id: asked.body.id }).update({ requested_on: requestedOn, until });
  }

  test("over 30 days: covered only by a deferral requested by the money's statutory deadline; one asked later is 无法定事由超期", async () => {
    const s = await courtWithStaff(t, "TS");
    const covered = await fundedCase(t, s, "1000.00", "2024-03-01"); // statutory deadline 2024-03-31
    const lateAsk = await fundedCase(t, s, "1000.00", "2024-03-01");
    const none = await fundedCase(t, s, "1000.00", "2024-03-01");
    const onTime = await fundedCase(t, s, "1000.00", "2024-03-20");
    await deferral(s, covered.id, "2024-03-31", "2024-05-01");
    await deferral(s, lateAsk.id, "2024-04-01", "2024-05-01");
    await executed(t, s, [item(covered, "1000.00"), item(lateAsk, "1000.00"), item(none, "1000.00"), item(onTime, "1000.00")], "2024-04-15");
    const res = await report(s, "2024-04-01", "2024-04-30");
    expect(res.status).toBe(200);
    expect(res.body.timeliness).toMatchObject({ payouts: 4, within30Days: 1, over30Days: 3, over30CoveredByDeferral: 1, over30WithoutLegalCause: 2, withLocalDeadline: 0 });
  });

  test("a deferral that ended before the payment (payBy passed) does not cover it", async () => {
    const s = await courtWithStaff(t, "TE");
    const c = await fundedCase(t, s, "1000.00", "2024-03-01");
    await deferral(s, c.id, "2024-03-10", "2024-06-01");
    await t.db.knex("deferrals").where({ case_id: c.id }).update({ ended_on: "2024-04-01", end_reason: "异议已撤回", ended_by: s.clerk.id, pay_by: "2024-04-11" });
    await executed(t, s, [item(c, "1000.00")], "2024-04-15");
    expect((await report(s, "2024-04-01", "2024-04-30")).body.timeliness).toMatchObject({ over30Days: 1, over30CoveredByDeferral: 0, over30WithoutLegalCause: 1 });
  });

  test("counts against the local deadline: within and over, among the payouts whose money had one", async () => {
    const s = await courtWith("TL", [{ days: 10, kind: "calendar" }]);
    const quick = await fundedCase(t, s, "500.00", "2024-03-01"); // local 2024-03-11
    const slow = await fundedCase(t, s, "500.00", "2024-03-01");
    await executed(t, s, [item(quick, "500.00")], "2024-03-11");
    await executed(t, s, [item(slow, "500.00")], "2024-03-20");
    expect((await report(s, "2024-03-01", "2024-03-31")).body.timeliness).toMatchObject({
      payouts: 2,
      within30Days: 2,
      over30Days: 0,
      withLocalDeadline: 2,
      withinLocalDeadline: 1,
      overLocalDeadline: 1,
    });
  });
});

describe("held money overdue against both deadlines (款物规定 30 days; the court's local deadline)", () => {
  const held = (s: Staff, asOf: string) => request(t.app).get("/v1/reports/held-funds").query({ asOf, courtId: s.court.id }).set(s.approver.auth);

  test("past the local deadline only vs past the statutory one too: both deadlines shown per receipt, the totals split", async () => {
    const s = await courtWith("HB", [{ days: 10, kind: "calendar" }]);
    const old = await fundedCase(t, s, "0");
    const recent = await fundedCase(t, s, "0");
    const fresh = await fundedCase(t, s, "0");
    await receive(t, s.clerk, old.id, "300.00", "2024-03-01"); // local 03-11, statutory 03-31
    await receive(t, s.clerk, recent.id, "200.00", "2024-03-20"); // local 03-30, statutory 04-19
    await receive(t, s.clerk, fresh.id, "100.00", "2024-04-01"); // local 04-11: not overdue on 04-05
    const res = await held(s, "2024-04-05");
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({
      held: "600.00",
      overdue: "500.00",
      cases: 3,
      overdueCases: 2,
      overdueByDeadline: { localOnly: { amount: "200.00", receipts: 1, cases: 1 }, statutory: { amount: "300.00", receipts: 1, cases: 1 } },
    });
    expect(res.body.overdue).toEqual([
      expect.objectContaining({ caseId: old.id, disburseBy: "2024-03-11", localDisburseBy: "2024-03-11", statutoryDisburseBy: "2024-03-31", pastStatutory: true, daysOverdue: 25, daysOverdueStatutory: 5, amount: "300.00" }),
      expect.objectContaining({ caseId: recent.id, disburseBy: "2024-03-30", localDisburseBy: "2024-03-30", statutoryDisburseBy: "2024-04-19", pastStatutory: false, daysOverdue: 6, daysOverdueStatutory: null, amount: "200.00" }),
    ]);
    expect(res.body.cases).toContainEqual(expect.objectContaining({ caseId: old.id, overdue: "300.00", overdueStatutory: "300.00" }));
    expect(res.body.cases).toContainEqual(expect.objectContaining({ caseId: recent.id, overdue: "200.00", overdueStatutory: "0.00" }));
    // The CSV carries both deadlines.
    const csv = await request(t.app).get("/v1/reports/held-funds").query({ asOf: "2024-04-05", courtId: s.court.id, format: "csv" }).set(s.approver.auth);
    const line = csv.text.split("\r\n").find((l) => l.includes("2024-03-20"))!;
    expect(line.split(",").slice(-3)).toEqual(["2024-04-19", "2024-03-30", "no"]);
  });

  test("an approved deferral covering the day takes money off both overdue counts", async () => {
    const s = await courtWith("HD", [{ days: 5, kind: "calendar" }]);
    const c = await fundedCase(t, s, "0");
    const received = addDays(todayInChina(), -40);
    await receive(t, s.clerk, c.id, "80.00", received);
    const before = await held(s, todayInChina());
    expect(before.body.totals.overdueByDeadline).toEqual({ localOnly: { amount: "0.00", receipts: 0, cases: 0 }, statutory: { amount: "80.00", receipts: 1, cases: 1 } });
    const d = await request(t.app).post(`/v1/cases/${c.id}/deferrals`).set(s.clerk.auth).send({ reason: "amount_disputed", until: addDays(todayInChina(), 5) });
    expect((await request(t.app).post(`/v1/deferrals/${d.body.id}/approve`).set(s.approver.auth)).status).toBe(200);
    const after = await held(s, todayInChina());
    expect(after.body.totals).toMatchObject({ held: "80.00", overdue: "0.00", overdueByDeadline: { localOnly: { amount: "0.00" }, statutory: { amount: "0.00" } } });
  });

  test("the disbursement report counts payouts late against the local deadline only apart from those late against both", async () => {
    const s = await courtWith("HT", [{ days: 10, kind: "calendar" }]);
    const localOnly = await fundedCase(t, s, "500.00", "2024-03-01"); // local 03-11, statutory 03-31
    const both = await fundedCase(t, s, "500.00", "2024-02-01"); // local 02-11, statutory 03-02
    await executed(t, s, [item(localOnly, "500.00"), item(both, "500.00")], "2024-03-20");
    expect((await report(s, "2024-03-01", "2024-03-31")).body.timeliness).toMatchObject({
      payouts: 2,
      over30Days: 1,
      withLocalDeadline: 2,
      overLocalDeadline: 2,
      overLocalDeadlineOnly: 1,
    });
  });
});
