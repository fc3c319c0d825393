import request from "supertest";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { courtWithStaff, createCase, receive, type Staff } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";

/**
 * What a debtor owes, over HTTP (issue 14 item 5): 民诉法 art. 264 and 法释〔2014〕8号 (doubled delay
 * interest, 1.75‱ a day from the day after performBy, principal paid first, art. 4), 诉讼费用交纳办法
 * art. 14 (一) (the execution fee), 民诉法解释 art. 508 (the fee comes off first); and full performance
 * derived from the ledger against that total.
 */
let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "AO");
});
afterAll(async () => {
  await t.close();
});

/** performBy is issue 12's field on the case; until it lands, tests set it with SQL. */
async function caseDue(adjudicatedAmount: string, performBy: string | null, court = s) {
  const c = await createCase(t, court.clerk, court.court.id, { filedOn: "2024-01-05", adjudicatedAmount });
  if (performBy !== null) await t.db.knex("cases").where({ id: c.id }).update({ perform_by: performBy });
  return c;
}
const owed = (caseId: string, asOf?: string) => request(t.app).get(`/v1/cases/${caseId}/amount-owed`).query(asOf ? { asOf } : {}).set(s.clerk.auth);
const perform = (caseId: string, body: Record<string, unknown>, user = s.clerk) => request(t.app).post(`/v1/cases/${caseId}/performance`).set(user.auth).send(body);
const balance = (caseId: string) => t.db.knex("case_balances").where({ case_id: caseId }).first();

describe("GET /v1/cases/{id}/amount-owed", () => {
  test("100,000 due 10 March 2024, paid 20 March: 10 days × 1.75‱ = 175.00 still owed (法释〔2014〕8号 art. 1–3), every part shown", async () => {
    const c = await caseDue("100000.00", "2024-03-10");
    await receive(t, s.finance, c.id, "100000.00", "2024-03-20");
    const res = await owed(c.id, "2024-03-20");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      caseId: c.id,
      asOf: "2024-03-20",
      performBy: "2024-03-10",
      principal: "100000.00",
      paid: "100000.00",
      principalOutstanding: "0.00",
      delayInterest: "175.00",
      executionFee: "1400.00",
      executionFeeCharged: false,
      executionFeePaidOut: "0.00",
      executionFeeUnpaid: "0.00",
      total: "100175.00",
      outstanding: "175.00",
      surplus: "0.00",
      paidTo: { executionFee: "0.00", principal: "100000.00", delayInterest: "0.00" },
      days: 10,
      basis: [{ from: "2024-03-11", to: "2024-03-20", days: 10, principalBase: "100000.00", interest: "175.00" }],
      fullyPerformedOn: null,
      performance: null,
    });
    // The ledger decides: receipts reached the principal, not the total, so the case is not fully performed.
    expect((await balance(c.id)).fully_performed_on).toBeNull();
  });

  test("the case is fully performed on the day its receipts reach the total as of that day, and a listing's clock starts then", async () => {
    const c = await caseDue("100000.00", "2024-03-10");
    const debtor = c.parties.find((p) => p.role === "debtor")!;
    const listing = await request(t.app)
      .post("/v1/listings")
      .set(s.officer.auth)
      .send({ caseId: c.id, partyId: debtor.id, ground: "able_but_refuses", decisionNumber: `(2024)湘执限${c.id.slice(0, 6)}号`, decidedOn: "2024-03-15", note: "补录" });
    expect(listing.status).toBe(201);
    await receive(t, s.finance, c.id, "100000.00", "2024-03-20");
    await receive(t, s.finance, c.id, "175.00", "2024-09-30");
    expect((await balance(c.id)).fully_performed_on).toBe("2024-09-30");
    const l = await request(t.app).get(`/v1/listings/${listing.body.id}`).set(s.officer.auth);
    expect(l.body).toMatchObject({ fullyPerformedOn: "2024-09-30", removalDueBy: "2024-10-10", removalDueReason: "fully_performed" });
    const later = await owed(c.id);
    expect(later.body).toMatchObject({ outstanding: "0.00", fullyPerformedOn: "2024-09-30", paidTo: { delayInterest: "175.00" } });
  });

  test("without performBy and without a charged fee: v1's rule, fully performed when receipts reach the adjudicated amount", async () => {
    const c = await caseDue("5000.00", null);
    await receive(t, s.finance, c.id, "5000.00", "2024-04-01");
    expect((await balance(c.id)).fully_performed_on).toBe("2024-04-01");
    expect((await owed(c.id, "2024-12-31")).body).toMatchObject({ delayInterest: "0.00", days: 0, basis: [], total: "5000.00", executionFee: "50.00" });
  });

  test("a court that charges the fee (诉讼费用交纳办法 art. 14, 民诉法解释 art. 508): money pays the 50.00 first, so 10,000 received leaves 50.00 of principal", async () => {
    const court = await courtWithStaff(t, "AF");
    const set = await request(t.app).patch(`/v1/courts/${court.court.id}`).set(t.admin.auth).send({ chargeExecutionFee: true });
    expect(set.status).toBe(200);
    const c = await caseDue("10000.00", null, court);
    await receive(t, court.finance, c.id, "10000.00", "2024-04-01");
    const res = await request(t.app).get(`/v1/cases/${c.id}/amount-owed`).query({ asOf: "2024-04-01" }).set(court.clerk.auth);
    expect(res.body).toMatchObject({ executionFee: "50.00", executionFeeCharged: true, total: "10050.00", outstanding: "50.00", principalOutstanding: "50.00", paidTo: { executionFee: "50.00", principal: "9950.00" } });
    expect((await balance(c.id)).fully_performed_on).toBeNull();
    await receive(t, court.finance, c.id, "50.00", "2024-04-02");
    expect((await balance(c.id)).fully_performed_on).toBe("2024-04-02");
  });

  test("bad asOf is 400; another court's case is 404", async () => {
    const c = await caseDue("1000.00", null);
    expectProblem(await owed(c.id, "2024-02-30"), 400, "validation_failed");
    const other = await courtWithStaff(t, "AX");
    expectProblem(await request(t.app).get(`/v1/cases/${c.id}/amount-owed`).set(other.clerk.auth), 404, "not_found");
  });
});

describe("POST /v1/cases/{id}/performance: full performance recorded by an officer", () => {
  test("the applicant waived the delay interest: recorded on its real date, the clock starts then, audited; a second record is 409", async () => {
    const c = await caseDue("100000.00", "2024-03-10");
    await receive(t, s.finance, c.id, "100000.00", "2024-03-20");
    const res = await perform(c.id, { performedOn: "2024-03-25", waived: { delayInterest: true }, note: "申请执行人书面放弃迟延履行利息" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ caseId: c.id, performedOn: "2024-03-25", waived: { delayInterest: true }, recordedBy: s.clerk.id });
    expect((await balance(c.id)).fully_performed_on).toBe("2024-03-25");
    const event = await t.db.knex("audit_events").where({ entity_id: c.id, action: "case.performance_recorded" }).first();
    expect(event.data).toMatchObject({ performedOn: "2024-03-25", waived: { delayInterest: true }, fullyPerformedOn: { before: null, after: "2024-03-25" } });
    expect((await owed(c.id)).body.performance).toMatchObject({ performedOn: "2024-03-25" });
    expectProblem(await perform(c.id, { performedOn: "2024-03-26", note: "again" }), 409, "conflict");
  });

  test("a waiver of interest on a case without performBy is 409 no_perform_by; a waiver while principal is unpaid is 409 not_fully_performed; nothing is written", async () => {
    const noDate = await caseDue("1000.00", null);
    const a = await perform(noDate.id, { performedOn: "2024-03-25", waived: { delayInterest: true }, note: "x" });
    expectProblem(a, 409, "invalid_state");
    expect(a.body.reason).toBe("no_perform_by");
    const short = await caseDue("1000.00", "2024-03-10");
    await receive(t, s.finance, short.id, "999.99", "2024-03-20");
    const b = await perform(short.id, { performedOn: "2024-03-25", waived: { delayInterest: true }, note: "x" });
    expectProblem(b, 409, "invalid_state");
    expect(b.body.reason).toBe("not_fully_performed");
    expect(await t.db.knex("case_performances").whereIn("case_id", [noDate.id, short.id])).toHaveLength(0);
  });

  test.each([
    ["a date in the future", { performedOn: "2999-01-01", note: "x" }],
    ["a date before the case was filed", { performedOn: "2024-01-04", note: "x" }],
    ["no note", { performedOn: "2024-03-25" }],
    ["an unknown field", { performedOn: "2024-03-25", note: "x", amount: "1.00" }],
    ["a waiver that is false", { performedOn: "2024-03-25", note: "x", waived: { delayInterest: false } }],
  ])("%s is 400 and nothing is written", async (_what, body) => {
    const c = await caseDue("1000.00", "2024-03-10");
    expectProblem(await perform(c.id, body), 400, "validation_failed");
    expect(await t.db.knex("case_performances").where({ case_id: c.id })).toHaveLength(0);
  });

  test("finance may not record performance (403)", async () => {
    const c = await caseDue("1000.00", null);
    expectProblem(await perform(c.id, { performedOn: "2024-03-25", note: "x" }, s.finance), 403, "forbidden");
  });
});
