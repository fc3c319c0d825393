import request from "supertest";
import { expectProblem } from "../helpers/problem";
import { courtWithStaff } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const patch = (id: string, body: unknown) => request(t.app).patch(`/v1/courts/${id}`).set(t.admin.auth).send(body as object);

describe("a court's settings", () => {
  test("a new court has the defaults: no master account, the statutory deadline only, three days to claim, one approval", async () => {
    const s = await courtWithStaff(t);
    const res = await request(t.app).get(`/v1/courts/${s.court.id}`).set(s.clerk.auth);
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual({
      masterAccount: null,
      feeAccount: null,
      virtualAccountPrefix: null,
      disbursementDeadlines: [],
      unidentifiedClaimWorkingDays: 3,
      approvalLevels: [],
      chargeExecutionFee: false,
      updatedAt: null,
      updatedBy: null,
    });
  });

  test("an admin sets them; what is not sent stays; the audit event keeps before and after, the account masked", async () => {
    const s = await courtWithStaff(t);
    const first = await patch(s.court.id, {
      masterAccount: { bankName: "中国农业银行江华支行", accountName: "江华瑶族自治县人民法院", accountNumber: "18591101040001234" },
      virtualAccountPrefix: "8801",
      disbursementDeadlines: [
        { upTo: "100000.00", days: 5, kind: "working" },
        { days: 10, kind: "working" },
      ],
      approvalLevels: [{ above: "100000.00", levels: 2 }],
    });
    expect(first.status).toBe(200);
    const second = await patch(s.court.id, { chargeExecutionFee: true, unidentifiedClaimWorkingDays: 5 });
    expect(second.status).toBe(200);
    expect(second.body.settings).toMatchObject({
      masterAccount: { accountNumber: "18591101040001234" },
      virtualAccountPrefix: "8801",
      disbursementDeadlines: [
        { upTo: "100000.00", days: 5, kind: "working" },
        { days: 10, kind: "working" },
      ],
      unidentifiedClaimWorkingDays: 5,
      approvalLevels: [{ above: "100000.00", levels: 2 }],
      chargeExecutionFee: true,
      updatedBy: t.admin.id,
    });
    const events = await t.db.knex("audit_events").where({ entity_id: s.court.id, action: "court.settings_changed" }).orderBy("seq");
    expect(events).toHaveLength(2);
    expect(events[1].data.before.chargeExecutionFee).toBe(false);
    expect(events[1].data.after.chargeExecutionFee).toBe(true);
    expect(JSON.stringify(events)).not.toContain("18591101040001234");
    expect(events[0].data.after.masterAccount.accountNumberMasked).toMatch(/1234$/);
  });

  test("a local deadline longer than the statutory 30 days, bands out of order and a last band with upTo are refused, nothing written", async () => {
    const s = await courtWithStaff(t);
    for (const bad of [
      { disbursementDeadlines: [{ days: 31, kind: "calendar" }] },
      { disbursementDeadlines: [{ days: 21, kind: "working" }] },
      { disbursementDeadlines: [{ upTo: "500.00", days: 5, kind: "working" }] },
      { disbursementDeadlines: [{ upTo: "500.00", days: 5, kind: "working" }, { upTo: "400.00", days: 5, kind: "working" }, { days: 9, kind: "working" }] },
      { approvalLevels: [{ above: "100.00", levels: 3 }, { above: "50.00", levels: 4 }] },
      { approvalLevels: [{ above: "100.00", levels: 1 }] },
      { approvalLevels: [{ above: 100, levels: 2 }] },
      { virtualAccountPrefix: "88a1" },
      { unidentifiedClaimWorkingDays: 0 },
      {},
      { surprise: true },
    ]) {
      const res = await patch(s.court.id, bad);
      expectProblem(res, 400, "validation_failed");
    }
    expect(await t.db.knex("court_settings").where({ court_id: s.court.id })).toEqual([]);
  });

  test("two courts cannot share a virtual account prefix; other courts' staff get 404; only an admin changes settings", async () => {
    const a = await courtWithStaff(t);
    const b = await courtWithStaff(t);
    expect((await patch(a.court.id, { virtualAccountPrefix: "7701" })).status).toBe(200);
    expectProblem(await patch(b.court.id, { virtualAccountPrefix: "7701" }), 409, "conflict");
    expectProblem(await request(t.app).get(`/v1/courts/${a.court.id}`).set(b.clerk.auth), 404, "not_found");
    expectProblem(await request(t.app).patch(`/v1/courts/${a.court.id}`).set(a.approver.auth).send({ chargeExecutionFee: true }), 403, "forbidden");
  });
});
