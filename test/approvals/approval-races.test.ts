import request from "supertest";
import { courtWithStaff } from "../helpers/factories";
import { onRealPostgres } from "../helpers/test-db";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { act, draft, fundedCase, item } from "../payouts/payout-helpers";

/**
 * Approval levels under concurrency (issue 14 item 7): each level is a different approver, and a
 * level is given once. Racing transactions need real PostgreSQL (PGlite runs one at a time).
 */
const describeOnPostgres = onRealPostgres ? describe : describe.skip;
if (!onRealPostgres) {
  console.warn("test/approvals/approval-races.test.ts: SKIPPED — racing transactions need real PostgreSQL (DATABASE_URL).");
}

let t: TestApp;
beforeAll(async () => {
  if (onRealPostgres) t = await startTestApp();
});
afterAll(async () => {
  if (onRealPostgres) await t.close();
});

const statuses = (responses: request.Response[]) => responses.map((r) => r.status).sort();

describeOnPostgres("racing approvals on real PostgreSQL", () => {
  test("two approvers approve a two-level batch at once: levels 1 and 2, one each, and the batch is approved", async () => {
    const s = await courtWithStaff(t, "AR");
    await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ approvalLevels: [{ above: "100.00", levels: 2 }] });
    const c = await fundedCase(t, s, "500.00");
    const b = await draft(t, s, [item(c, "500.00")]);
    await act(t, s.clerk, b.id, "submit");
    const results = await Promise.all([act(t, s.approver, b.id, "approve"), act(t, s.approver2, b.id, "approve")]);
    expect(statuses(results)).toEqual([200, 200]);
    const rows = await t.db.knex("payout_batch_approvals").where({ batch_id: b.id }).orderBy("level");
    expect(rows.map((r: { level: number }) => r.level)).toEqual([1, 2]);
    expect(new Set(rows.map((r: { approved_by: string }) => r.approved_by)).size).toBe(2);
    expect((await t.db.knex("payout_batches").where({ id: b.id }).first()).status).toBe("approved");
  });

  test("one approver approving twice at once gives one level and one same_person refusal", async () => {
    const s = await courtWithStaff(t, "AS");
    await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ approvalLevels: [{ above: "100.00", levels: 2 }] });
    const c = await fundedCase(t, s, "500.00");
    const b = await draft(t, s, [item(c, "500.00")]);
    await act(t, s.clerk, b.id, "submit");
    const results = await Promise.all([act(t, s.approver, b.id, "approve"), act(t, s.approver, b.id, "approve")]);
    expect(statuses(results)).toEqual([200, 403]);
    expect(results.find((r) => r.status === 403)!.body.code).toBe("same_person");
    expect(await t.db.knex("payout_batch_approvals").where({ batch_id: b.id })).toHaveLength(1);
    expect((await t.db.knex("payout_batches").where({ id: b.id }).first()).status).toBe("submitted");
  });
});
