import request from "supertest";
import { addDays, addYears } from "../../api/core/dates";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { auditActions, debtorCase, listWorld, today, type DebtorCase, type ListWorld } from "../listings/factories";
import { expectProblem } from "../helpers/problem";

let t: TestApp;
let w: ListWorld;
beforeAll(async () => {
  t = await startTestApp();
  w = await listWorld(t);
});
afterAll(async () => {
  await t.close();
});

const freeze = (c: DebtorCase, body: Record<string, unknown>, user = w.clerk) =>
  request(t.app)
    .post(`/v1/cases/${c.caseId}/freezes`)
    .set(user.auth)
    .send({ partyId: c.debtorId, assetType: "bank_deposit", description: "银行存款 6228****1234", ...body });
const renew = (id: string, expiresOn: string, user = w.clerk) => request(t.app).post(`/v1/freezes/${id}/renew`).set(user.auth).send({ expiresOn });
const release = (id: string, releasedOn: string, user = w.clerk) => request(t.app).post(`/v1/freezes/${id}/release`).set(user.auth).send({ releasedOn });

describe("judicial freezes", () => {
  test.each([
    ["bank_deposit", "2027-03-11"],
    ["movable", "2028-03-11"],
    ["real_estate", "2029-03-11"],
    ["other", "2029-03-11"],
  ])("a %s freeze defaults to its maximum term (until %s)", async (assetType, expiresOn) => {
    const c = await debtorCase(t, w);
    const res = await freeze(c, { assetType, frozenOn: "2026-03-11" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ assetType, frozenOn: "2026-03-11", expiresOn, status: "active", releasedOn: null, renewals: [] });
  });

  test("a clerk records a freeze with amount and institution; the answer shows days left and the latest renewal date", async () => {
    const c = await debtorCase(t, w);
    const frozenOn = addDays(today(), -30);
    const res = await freeze(c, { frozenOn, amount: "52000.5", institution: "中国建设银行江华支行" });
    expect(res.status).toBe(201);
    const expiresOn = addYears(frozenOn, 1);
    expect(res.body).toMatchObject({
      caseId: c.caseId,
      caseNumber: c.caseNumber,
      partyId: c.debtorId,
      partyName: c.debtorName,
      amount: "52000.50",
      institution: "中国建设银行江华支行",
      expiresOn,
      maxRenewalExpiresOn: addYears(expiresOn, 1),
      createdBy: w.clerk.id,
    });
    expect(res.body.daysUntilExpiry).toBeGreaterThanOrEqual(334);
    const row = await t.db.knex("freezes").where({ id: res.body.id }).first();
    expect(row).toMatchObject({ amount: "52000.50", expires_on: expiresOn, status: "active", court_id: w.court.id });
    expect(await auditActions(t, res.body.id)).toEqual(["freeze.created"]);
  });

  test.each([
    ["a term longer than the maximum", { frozenOn: "2026-03-11", expiresOn: "2027-03-12" }, "body.expiresOn"],
    ["an expiry before the freeze", { frozenOn: "2026-03-11", expiresOn: "2026-03-11" }, "body.expiresOn"],
    ["a freeze in the future", { frozenOn: "2999-01-01" }, "body.frozenOn"],
    ["an amount as a JSON number", { frozenOn: "2026-03-11", amount: 100 }, "body.amount"],
    ["an unknown asset type", { frozenOn: "2026-03-11", assetType: "car" }, "body.assetType"],
    ["an unknown field", { frozenOn: "2026-03-11", note: "x" }, "body.note"],
  ])("%s is 400 and nothing is stored", async (_what, body, path) => {
    const c = await debtorCase(t, w);
    const res = await freeze(c, body);
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await t.db.knex("freezes").where({ case_id: c.caseId })).toHaveLength(0);
  });

  test("only a debtor's assets are frozen; another court's case is 404; only a clerk records", async () => {
    const c = await debtorCase(t, w);
    expectProblem(await freeze(c, { frozenOn: "2026-03-11", partyId: c.applicantId }), 400, "validation_failed");
    const elsewhere = await listWorld(t);
    expectProblem(await freeze(c, { frozenOn: "2026-03-11" }, elsewhere.clerk), 404, "not_found");
    expectProblem(await freeze(c, { frozenOn: "2026-03-11" }, w.officer), 403, "forbidden");
    expect(await t.db.knex("freezes").where({ case_id: c.caseId })).toHaveLength(0);
  });

  test("renewal before expiry extends the term by at most the maximum, counted from the current expiry", async () => {
    const c = await debtorCase(t, w);
    const f = (await freeze(c, { assetType: "movable", frozenOn: addDays(today(), -100) })).body;
    const latest = addYears(f.expiresOn, 2);
    const tooLong = await renew(f.id, addDays(latest, 1));
    expectProblem(tooLong, 400, "validation_failed");
    expectProblem(await renew(f.id, f.expiresOn), 400, "validation_failed");
    const ok = await renew(f.id, latest);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ expiresOn: latest, status: "active" });
    expect(ok.body.renewals).toEqual([{ id: expect.any(String), renewedOn: today(), previousExpiresOn: f.expiresOn, expiresOn: latest, renewedBy: w.clerk.id }]);
    expect((await t.db.knex("freezes").where({ id: f.id }).first()).expires_on).toBe(latest);
    expect(await auditActions(t, f.id)).toEqual(["freeze.created", "freeze.renewed"]);
    // Renewals are evidence: the database refuses to change them.
    await expect(t.db.knex("freeze_renewals").where({ freeze_id: f.id }).update({ expires_on: "2099-01-01" })).rejects.toThrow(/append-only/);
  });

  test("a freeze that lapsed cannot be renewed or released: 409, nothing changes", async () => {
    const c = await debtorCase(t, w);
    const f = (await freeze(c, { frozenOn: "2024-01-02" })).body;
    expect(f).toMatchObject({ expiresOn: "2025-01-02", status: "lapsed", daysUntilExpiry: null, maxRenewalExpiresOn: null });
    expectProblem(await renew(f.id, "2025-06-01"), 409, "invalid_state");
    expectProblem(await release(f.id, "2024-06-01"), 409, "invalid_state");
    expect(await t.db.knex("freeze_renewals").where({ freeze_id: f.id })).toHaveLength(0);
    expect((await t.db.knex("freezes").where({ id: f.id }).first()).status).toBe("active");
  });

  test("on its last day a freeze can still be renewed", async () => {
    const c = await debtorCase(t, w);
    const f = (await freeze(c, { frozenOn: addYears(today(), -1) })).body;
    expect(f).toMatchObject({ expiresOn: today(), status: "active", daysUntilExpiry: 0 });
    expect((await renew(f.id, addDays(today(), 30))).status).toBe(200);
  });

  test("a released freeze stays released: no renewal, no second release", async () => {
    const c = await debtorCase(t, w);
    const f = (await freeze(c, { frozenOn: addDays(today(), -10) })).body;
    expectProblem(await release(f.id, addDays(today(), -11)), 400, "validation_failed");
    const ok = await release(f.id, today());
    expect(ok.body).toMatchObject({ status: "released", releasedOn: today(), daysUntilExpiry: null });
    expectProblem(await release(f.id, today()), 409, "invalid_state");
    expectProblem(await renew(f.id, addDays(f.expiresOn, 10)), 409, "invalid_state");
    expect(await t.db.knex("freezes").where({ id: f.id }).first()).toMatchObject({ status: "released", released_on: today(), released_by: w.clerk.id });
  });

  test("expiringWithinDays lists the active freezes about to lapse, soonest first, so that none lapses unnoticed", async () => {
    const mine = await listWorld(t);
    const c = await debtorCase(t, mine);
    const make = async (frozenOn: string, expiresOn?: string) =>
      (await freeze(c, { frozenOn, ...(expiresOn ? { expiresOn } : {}) }, mine.clerk)).body as { id: string; expiresOn: string };
    const in10 = await make(addDays(today(), -100), addDays(today(), 10));
    const in3 = await make(addDays(today(), -100), addDays(today(), 3));
    const in60 = await make(addDays(today(), -100), addDays(today(), 60));
    await make("2024-01-02"); // lapsed
    const released = await make(addDays(today(), -100), addDays(today(), 5));
    expect((await release(released.id, today(), mine.clerk)).status).toBe(200);

    const res = await request(t.app).get("/v1/freezes").query({ courtId: mine.court.id, expiringWithinDays: 30 }).set(mine.inspector.auth);
    expect(res.status).toBe(200);
    expect(res.body.data.map((f: { id: string; daysUntilExpiry: number }) => [f.id, f.daysUntilExpiry])).toEqual([
      [in3.id, 3],
      [in10.id, 10],
    ]);
    const lapsed = await request(t.app).get("/v1/freezes").query({ courtId: mine.court.id, status: "lapsed" }).set(mine.clerk.auth);
    expect(lapsed.body.data).toHaveLength(1);
    const all = await request(t.app).get("/v1/freezes").query({ caseId: c.caseId, limit: 2 }).set(mine.clerk.auth);
    expect(all.body.data).toHaveLength(2);
    const rest = await request(t.app).get("/v1/freezes").query({ caseId: c.caseId, limit: 10, cursor: all.body.nextCursor }).set(mine.clerk.auth);
    expect(rest.body.data).toHaveLength(3);
    expect(rest.body.data.map((f: { id: string }) => f.id)).toContain(in60.id);
    // Another court's freezes are not found.
    expectProblem(await request(t.app).get(`/v1/freezes/${in3.id}`).set(w.clerk.auth), 404, "not_found");
    expectProblem(await request(t.app).get("/v1/freezes").query({ courtId: mine.court.id }).set(w.clerk.auth), 404, "not_found");
  });
});
