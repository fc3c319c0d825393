import request from "supertest";
import { addDays, todayInChina } from "../../api/core/dates";
import { courtWithStaff, createCase, receive } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { executed, type Staff } from "../payouts/payout-helpers";

/**
 * Overdue money has one definition (api/ledger/held-receipts.ts): the case page and the
 * held-funds report must say the same of the same data.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function caseWithMoney(s: Staff, receipts: [string, string][]) {
  const c = await createCase(t, s.clerk, s.court.id, { filedOn: "2023-01-05", adjudicatedAmount: "9999999.00" });
  for (const [amount, on] of receipts) await receive(t, s.clerk, c.id, amount, on);
  return { ...c, applicantId: c.parties.find((p) => p.role === "applicant")!.id };
}

test("the case page's overdue amount is the held-funds report's, case by case and in total", async () => {
  const s = await courtWithStaff(t);
  const today = todayInChina();
  const old = await caseWithMoney(s, [["100.00", "2023-02-01"], ["200.00", "2024-01-01"], ["300.00", addDays(today, -3)]]);
  const partlyPaid = await caseWithMoney(s, [["1000.00", "2024-03-01"], ["500.00", "2024-03-20"]]);
  await executed(t, s, [{ caseId: partlyPaid.id, partyId: partlyPaid.applicantId, amount: "1200.00" }], "2024-04-01");
  const deferred = await caseWithMoney(s, [["700.00", "2024-05-05"]]);
  const d = await request(t.app).post(`/v1/cases/${deferred.id}/deferrals`).set(s.clerk.auth).send({ reason: "amount_disputed", until: addDays(today, 10) });
  expect((await request(t.app).post(`/v1/deferrals/${d.body.id}/approve`).set(s.approver.auth)).status).toBe(200);
  const fresh = await caseWithMoney(s, [["50.00", addDays(today, -1)]]);

  const report = await request(t.app).get("/v1/reports/held-funds").query({ courtId: s.court.id }).set(s.inspector.auth);
  expect(report.status).toBe(200);
  const byCase = new Map<string, string>(report.body.cases.map((c: { caseId: string; overdue: string }) => [c.caseId, c.overdue]));
  for (const c of [old, partlyPaid, deferred, fresh]) {
    const page = await request(t.app).get(`/v1/cases/${c.id}`).set(s.inspector.auth);
    expect({ caseId: c.id, overdue: page.body.overdueAmount }).toEqual({ caseId: c.id, overdue: byCase.get(c.id) ?? "0.00" });
  }
  // And the figures themselves: the oldest money is overdue, the partly paid case's remainder too,
  // the deferred and the fresh money not.
  expect(byCase.get(old.id)).toBe("300.00");
  expect(byCase.get(partlyPaid.id)).toBe("300.00");
  expect(byCase.get(deferred.id) ?? "0.00").toBe("0.00");
  expect(report.body.totals.overdue).toBe("600.00");
});
