import request from "supertest";
import { addDays, todayInChina } from "../../api/core/dates";
import { courtWithStaff, createCase, receive } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { executed, type Staff } from "../payouts/payout-helpers";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

function heldFunds(s: Staff, query: Record<string, string>) {
  return request(t.app).get("/v1/reports/held-funds").query({ courtId: s.court.id, ...query }).set(s.inspector.auth);
}

async function caseWithApplicant(s: Staff, filedOn = "2023-01-05") {
  const c = await createCase(t, s.clerk, s.court.id, { filedOn, adjudicatedAmount: "9999999.00" });
  return { ...c, applicantId: c.parties.find((p) => p.role === "applicant")!.id };
}

describe("money still held, and for how long", () => {
  test("aging by days since receipt, oldest money paid out first, on a past date", async () => {
    const s = await courtWithStaff(t);
    const c = await caseWithApplicant(s);
    await receive(t, s.clerk, c.id, "100.00", "2023-02-01"); // 400 days before asOf
    await receive(t, s.clerk, c.id, "200.00", "2024-01-01"); // 66 days
    await receive(t, s.clerk, c.id, "300.00", "2024-02-20"); // 15 days
    await executed(t, s, [{ caseId: c.id, partyId: c.applicantId, amount: "150.00" }], "2024-02-25"); // uses up 100 + 50
    await executed(t, s, [{ caseId: c.id, partyId: c.applicantId, amount: "10.00" }], "2024-06-01"); // after asOf: ignored
    const res = await heldFunds(s, { asOf: "2024-03-06" });
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({
      held: "450.00",
      overdue: "150.00",
      cases: 1,
      overdueCases: 1,
      // No local deadline: everything overdue is past the statutory 30 days.
      overdueByDeadline: { localOnly: { amount: "0.00", receipts: 0, cases: 0 }, statutory: { amount: "150.00", receipts: 1, cases: 1 } },
    });
    expect(res.body.aging).toEqual([
      { bucket: "0-30", minDays: 0, maxDays: 30, amount: "300.00", receipts: 1 },
      { bucket: "31-90", minDays: 31, maxDays: 90, amount: "150.00", receipts: 1 },
      { bucket: "91-365", minDays: 91, maxDays: 365, amount: "0.00", receipts: 0 },
      { bucket: "365+", minDays: 366, maxDays: null, amount: "0.00", receipts: 0 },
    ]);
    expect(res.body.overdue).toEqual([
      expect.objectContaining({ caseId: c.id, receivedOn: "2024-01-01", disburseBy: "2024-01-31", amount: "150.00", daysOverdue: 35 }),
    ]);
    expect(res.body.cases).toEqual([expect.objectContaining({ caseId: c.id, held: "450.00", overdue: "150.00", oldestReceivedOn: "2024-01-01" })]);
  });

  test("an approved deferral covering the date takes money off the overdue list, not off the held total", async () => {
    const s = await courtWithStaff(t);
    const c = await caseWithApplicant(s);
    const received = addDays(todayInChina(), -40);
    await receive(t, s.clerk, c.id, "800.00", received);
    expect((await heldFunds(s, {})).body.totals).toMatchObject({ held: "800.00", overdue: "800.00" });
    const d = await request(t.app).post(`/v1/cases/${c.id}/deferrals`).set(s.clerk.auth).send({ reason: "amount_disputed", until: addDays(todayInChina(), 5) });
    await request(t.app).post(`/v1/deferrals/${d.body.id}/approve`).set(s.approver.auth).expect(200);
    const res = await heldFunds(s, {});
    expect(res.body.asOf).toBe(todayInChina());
    expect(res.body.totals).toMatchObject({ held: "800.00", overdue: "0.00", cases: 1, overdueCases: 0 });
    expect(res.body.totals.overdueByDeadline.statutory).toEqual({ amount: "0.00", receipts: 0, cases: 0 });
    expect(res.body.overdue).toEqual([]);
  });

  test("CSV lists every held receipt with a BOM; another court is 404", async () => {
    const s = await courtWithStaff(t);
    const c = await caseWithApplicant(s);
    await receive(t, s.clerk, c.id, "12.30", "2024-01-10");
    const csv = await heldFunds(s, { asOf: "2024-03-01", format: "csv" });
    expect(csv.status).toBe(200);
    const lines = csv.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("court,case_number,receipt_id,received_on,disburse_by,still_held,days_held,overdue,days_overdue,statutory_disburse_by,local_disburse_by,past_statutory");
    expect(lines[1].split(",").slice(3)).toEqual(["2024-01-10", "2024-02-09", "12.30", "51", "yes", "21", "2024-02-09", "", "yes"]);
    const other = await courtWithStaff(t);
    expect((await heldFunds(s, { courtId: other.court.id })).status).toBe(404);
  });
});
