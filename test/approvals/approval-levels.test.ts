import crypto from "node:crypto";
import request from "supertest";
import { courtWithStaff, type Staff } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { expectProblem } from "../helpers/problem";
import { addDays, todayInChina } from "../../api/core/dates";
import { act, draft, execute, fundedCase, item } from "../payouts/payout-helpers";

/**
 * Approval by amount (issue 14 item 7) and the approver's queue (item 8). Courts approve payouts in
 * levels (承办人 → 执行局长 → 分管院领导), by amount; four eyes (执行款物管理规定: 审批与经办分离): no
 * level is approved by the clerk who made or submitted the batch, nor two levels by one person.
 */
let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "AL");
  const set = await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ approvalLevels: [{ above: "100000.00", levels: 2 }] });
  expect(set.status).toBe(200);
});
afterAll(async () => {
  await t.close();
});

const queue = (user = s.approver) => request(t.app).get("/v1/approvals").query({ courtId: s.court.id }).set(user.auth);

async function submitted(amount: string) {
  const c = await fundedCase(t, s, amount);
  const b = await draft(t, s, [item(c, amount)]);
  expect((await act(t, s.clerk, b.id, "submit")).status).toBe(200);
  return b;
}

describe("approval levels by amount", () => {
  test("a batch of 100,000.00 (not above the threshold) is approved by one approver", async () => {
    const b = await submitted("100000.00");
    const res = await act(t, s.approver, b.id, "approve");
    expect(res.body).toMatchObject({ status: "approved", requiredApprovals: 1, approvals: [{ level: 1, approvedBy: s.approver.id }] });
  });

  test("a batch above 100,000.00 needs two different approvers; after the first it is still submitted and waits at level 2", async () => {
    const b = await submitted("5000000.00");
    const first = await act(t, s.approver, b.id, "approve");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: "submitted", requiredApprovals: 2, approvedBy: null, approvals: [{ level: 1, approvedBy: s.approver.id }] });
    // Not payable yet.
    expectProblem(await execute(t, s.finance, b.id, { paidOn: "2024-04-01" }), 409, "invalid_state");

    const again = await act(t, s.approver, b.id, "approve");
    expectProblem(again, 403, "same_person");
    expect((await t.db.knex("payout_batch_approvals").where({ batch_id: b.id })).length).toBe(1);

    const inQueue = (await queue(s.approver2)).body.payoutBatches.find((x: { batch: { id: string } }) => x.batch.id === b.id);
    expect(inQueue).toMatchObject({ level: 2, requiredApprovals: 2, mine: false });
    const mineForFirst = (await queue(s.approver)).body.payoutBatches.find((x: { batch: { id: string } }) => x.batch.id === b.id);
    expect(mineForFirst.mine).toBe(true);

    const second = await act(t, s.approver2, b.id, "approve");
    expect(second.body).toMatchObject({ status: "approved", approvedBy: s.approver2.id, approvals: [{ level: 1 }, { level: 2, approvedBy: s.approver2.id }] });
    const events = await t.db.knex("audit_events").where({ entity_id: b.id }).whereIn("action", ["payout_batch.level_approved", "payout_batch.approved"]).orderBy("seq");
    expect(events.map((e: { action: string; data: { level: number } }) => [e.action, e.data.level])).toEqual([
      ["payout_batch.level_approved", 1],
      ["payout_batch.approved", 2],
    ]);
    expect((await queue(s.approver2)).body.payoutBatches.map((x: { batch: { id: string } }) => x.batch.id)).not.toContain(b.id);
  });

  test("the database refuses a second approval row by the same approver", async () => {
    const b = await submitted("200000.00");
    await act(t, s.approver, b.id, "approve");
    await expect(
      t.db.knex("payout_batch_approvals").insert({ id: crypto.randomUUID(), court_id: s.court.id, batch_id: b.id, level: 2, approved_by: s.approver.id }),
    ).rejects.toThrow();
  });

  test("a level without approvers (levels < 2 in a band) is refused by the court settings: 400, nothing changes", async () => {
    const res = await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ approvalLevels: [{ above: "100000.00", levels: 0 }] });
    expectProblem(res, 400, "validation_failed");
    expect((await request(t.app).get(`/v1/courts/${s.court.id}`).set(t.admin.auth)).body.settings.approvalLevels).toEqual([{ above: "100000.00", levels: 2 }]);
  });
});

describe("GET /v1/approvals: everything waiting for an approver", () => {
  test("deferrals, bank account changes and listing removals are listed with mine; other roles are 403", async () => {
    const c = await fundedCase(t, s, "500.00");
    const d = await request(t.app).post(`/v1/cases/${c.id}/deferrals`).set(s.clerk.auth).send({ reason: "applicant_unreachable", until: addDays(todayInChina(), 20) });
    expect(d.status).toBe(201);
    const change = await request(t.app)
      .post(`/v1/parties/${c.applicantId}/bank-account-changes`)
      .set(s.clerk.auth)
      .send({ bankAccount: { bankName: "建设银行", accountName: "申请人", accountNumber: "6217000012345678" } });
    expect(change.status).toBe(201);
    const listing = await request(t.app)
      .post("/v1/listings")
      .set(s.officer.auth)
      .send({ caseId: c.id, partyId: c.debtorId, ground: "obstructs_enforcement", decisionNumber: `(2024)执限${c.id.slice(0, 5)}号`, decidedOn: addDays(todayInChina(), -10) });
    expect(listing.status).toBe(201);
    const asked = await request(t.app).post(`/v1/listings/${listing.body.id}/removal`).set(s.officer.auth).send({ ground: "applicant_request", applicantId: c.applicantId });
    expect([asked.status, asked.body.detail ?? asked.body.status]).toEqual([200, "removal_pending"]);

    const res = await queue();
    expect(res.status).toBe(200);
    expect(res.body.courtIds).toEqual([s.court.id]);
    expect(res.body.deferrals).toContainEqual({ deferral: expect.objectContaining({ id: d.body.id, status: "pending" }), mine: false });
    expect(res.body.bankAccountChanges).toContainEqual({ change: expect.objectContaining({ id: change.body.id }), mine: false });
    expect(res.body.listingRemovals).toContainEqual({ listing: expect.objectContaining({ id: listing.body.id, status: "removal_pending" }), mine: false });
    expect(res.body).toMatchObject({ agents: [], transfers: [] });
    expectProblem(await queue(s.clerk), 403, "forbidden");
  });
});
