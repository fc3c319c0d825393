import request from "supertest";
import { courtWithStaff, createCase, newKey, postReceipt, receive, type Staff } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { debtorCase, fullyPerform, getListing, listDebtor, today } from "../listings/factories";

let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "K");
});
afterAll(async () => {
  await t.close();
});

const patchCase = (id: string, body: Record<string, unknown>, user = s.clerk) => request(t.app).patch(`/v1/cases/${id}`).set(user.auth).send(body);
const eventsOf = (entityId: string) => t.db.knex("audit_events").where({ entity_id: entityId }).orderBy("seq").select("action", "data");
const caseRow = (id: string) => t.db.knex("cases").where({ id }).first();

describe("a clerk corrects what she typed in a case", () => {
  test("case number, cause, filing date and performBy change with a reason; the event keeps before and after", async () => {
    const c = await createCase(t, s.clerk, s.court.id, { filedOn: "2024-01-15" });
    const res = await patchCase(c.id, {
      caseNumber: "（2024）湘1129执9901号",
      cause: "民间借贷纠纷",
      filedOn: "2024-01-10",
      performBy: "2023-12-31",
      reason: "立案登记表抄录错误",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ caseNumber: "(2024)湘1129执9901号", cause: "民间借贷纠纷", filedOn: "2024-01-10", performBy: "2023-12-31" });
    const row = await caseRow(c.id);
    expect(row).toMatchObject({ case_number: "(2024)湘1129执9901号", case_number_key: "(2024)湘1129执9901号", perform_by: "2023-12-31", filed_on: "2024-01-10" });
    const events = await eventsOf(c.id);
    expect(events.map((e) => e.action)).toEqual(["case.created", "case.corrected"]);
    expect(events[1].data).toEqual({
      reason: "立案登记表抄录错误",
      changes: {
        caseNumber: { before: c.caseNumber, after: "(2024)湘1129执9901号" },
        cause: { before: "借款合同纠纷", after: "民间借贷纠纷" },
        filedOn: { before: "2024-01-15", after: "2024-01-10" },
        performBy: { before: null, after: "2023-12-31" },
      },
    });
    // performBy can be given at filing too, and removed by a correction.
    const removed = await patchCase(c.id, { performBy: null, reason: "判决未定履行期限" });
    expect(removed.status).toBe(200);
    expect(removed.body.performBy).toBeNull();
  });

  test("without a reason, with an unknown field, or with nothing to correct: 400 and nothing written", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    expectProblem(await patchCase(c.id, { cause: "改" }), 400, "validation_failed");
    expectProblem(await patchCase(c.id, { cause: "改", reason: "  " }), 400, "validation_failed");
    expectProblem(await patchCase(c.id, { courtId: s.court.id, reason: "换法院" }), 400, "validation_failed");
    expectProblem(await patchCase(c.id, { reason: "无" }), 400, "validation_failed");
    expectProblem(await patchCase(c.id, { cause: "借款合同纠纷", reason: "同值" }), 400, "validation_failed");
    expectProblem(await patchCase(c.id, { adjudicatedAmount: 1000, reason: "数字" }), 400, "validation_failed");
    expect((await caseRow(c.id)).cause).toBe("借款合同纠纷");
    expect((await eventsOf(c.id)).map((e) => e.action)).toEqual(["case.created"]);
  });

  test("a case number that collides with another after normalising is 409 conflict", async () => {
    const a = await createCase(t, s.clerk, s.court.id);
    const b = await createCase(t, s.clerk, s.court.id);
    const lookalike = String(a.caseNumber).replace("(", "（").replace(")", "）");
    const res = await patchCase(b.id, { caseNumber: ` ${lookalike} `, reason: "改号" });
    expectProblem(res, 409, "conflict");
    expect((await caseRow(b.id)).case_number).toBe(b.caseNumber);
  });

  test("the filing date never moves after the first receipt, nor into the future", async () => {
    const c = await createCase(t, s.clerk, s.court.id, { filedOn: "2024-01-15" });
    await receive(t, s.clerk, c.id, "100.00", "2024-02-01");
    expectProblem(await patchCase(c.id, { filedOn: "2024-02-02", reason: "改日期" }), 409, "invalid_state");
    expectProblem(await patchCase(c.id, { filedOn: "2999-01-01", reason: "改日期" }), 400, "validation_failed");
    const ok = await patchCase(c.id, { filedOn: "2024-02-01", reason: "改日期" });
    expect(ok.status).toBe(200);
    expect((await caseRow(c.id)).filed_on).toBe("2024-02-01");
  });

  test("the adjudicated amount cannot drop below what is paid out or reserved", async () => {
    const c = await createCase(t, s.clerk, s.court.id, { adjudicatedAmount: "80000.00" });
    await receive(t, s.clerk, c.id, "5000.00");
    const applicant = c.parties.find((p) => p.role === "applicant")!;
    const batch = await request(t.app)
      .post("/v1/payout-batches")
      .set(s.clerk.auth)
      .set("Idempotency-Key", newKey())
      .send({ courtId: s.court.id, items: [{ caseId: c.id, partyId: applicant.id, amount: "3000.00" }] });
    expect(batch.status).toBe(201);
    expect((await request(t.app).post(`/v1/payout-batches/${batch.body.id}/submit`).set(s.clerk.auth)).status).toBe(200);
    const res = await patchCase(c.id, { adjudicatedAmount: "2999.99", reason: "判决金额录错" });
    expectProblem(res, 409, "invalid_state");
    expect((await caseRow(c.id)).adjudicated_amount).toBe("80000.00");
    expect((await patchCase(c.id, { adjudicatedAmount: "3000.00", reason: "判决金额录错" })).status).toBe(200);
  });

  test("another court's case is 404, and only a clerk corrects", async () => {
    const other = await courtWithStaff(t, "K2");
    const c = await createCase(t, other.clerk, other.court.id);
    expectProblem(await patchCase(c.id, { cause: "改", reason: "越权" }), 404, "not_found");
    expectProblem(await patchCase(c.id, { cause: "改", reason: "越权" }, other.finance), 403, "forbidden");
  });
});

describe("a new adjudicated amount re-derives full performance and the removal clocks", () => {
  test("raising it above what was received ends full performance and its removal deadline; lowering it restores them", async () => {
    const c = await debtorCase(t, s, {}, { adjudicatedAmount: "1000.00" });
    const listing = await listDebtor(t, s, c, { ground: "able_but_refuses", decidedOn: "2024-06-03" });
    await fullyPerform(t, s, c, "2024-07-01");
    const before = await getListing(t, s.officer, listing.id);
    expect(before.removalDueBy).not.toBeNull();

    const raised = await patchCase(c.caseId, { adjudicatedAmount: "1500.00", reason: "判决金额录错" });
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ adjudicatedAmount: "1500.00", fullyPerformedOn: null, balances: { outstanding: "500.00" } });
    expect((await t.db.knex("case_balances").where({ case_id: c.caseId }).first()).fully_performed_on).toBeNull();
    expect((await getListing(t, s.officer, listing.id)).removalDueBy).toBeNull();
    const events = await eventsOf(c.caseId);
    expect(events.at(-1)?.data).toMatchObject({
      changes: { adjudicatedAmount: { before: "1000.00", after: "1500.00" } },
      fullyPerformedOn: { before: "2024-07-01", after: null },
      removalsWithdrawn: [],
    });

    const lowered = await patchCase(c.caseId, { adjudicatedAmount: "1000.00", reason: "恢复" });
    expect(lowered.body.fullyPerformedOn).toBe("2024-07-01");
    expect((await getListing(t, s.officer, listing.id)).removalDueBy).toBe(before.removalDueBy);
  });

  test("a performBy set afterwards adds the doubled interest: the case paid the principal only is no longer fully performed", async () => {
    const c = await debtorCase(t, s, {}, { adjudicatedAmount: "1000.00" });
    await fullyPerform(t, s, c, "2024-07-01");
    const set = await patchCase(c.caseId, { performBy: "2024-01-01", reason: "判决书载明履行期限" });
    expect(set.status).toBe(200);
    expect(set.body.fullyPerformedOn).toBeNull();
    expect((await eventsOf(c.caseId)).at(-1)?.data).toMatchObject({ fullyPerformedOn: { before: "2024-07-01", after: null } });
    const cleared = await patchCase(c.caseId, { performBy: null, reason: "更正" });
    expect(cleared.body.fullyPerformedOn).toBe("2024-07-01");
  });

  test("a removal waiting for approval on the ground 'fully performed' stops when the case no longer is", async () => {
    const c = await debtorCase(t, s, {}, { adjudicatedAmount: "1000.00" });
    const listing = await listDebtor(t, s, c, { ground: "obstructs_enforcement", decidedOn: today() });
    await fullyPerform(t, s, c, today());
    const asked = await request(t.app).post(`/v1/listings/${listing.id}/removal`).set(s.officer.auth).send({ ground: "fully_performed" });
    expect(asked.status).toBe(200);
    expect(asked.body.status).toBe("removal_pending");

    const raised = await patchCase(c.caseId, { adjudicatedAmount: "1000.01", reason: "判决金额录错" });
    expect(raised.status).toBe(200);
    expect((await getListing(t, s.officer, listing.id)).status).toBe("active");
    expect((await t.db.knex("listings").where({ id: listing.id }).first()).removal_requested_by).toBeNull();
    const withdrawn = await eventsOf(listing.id);
    expect(withdrawn.at(-1)).toMatchObject({ action: "listing.removal_withdrawn", data: { caseId: c.caseId, requestedBy: s.officer.id } });
    expect((await eventsOf(c.caseId)).at(-1)?.data).toMatchObject({ removalsWithdrawn: [listing.id] });
  });
});

describe("a case's history", () => {
  test("answers the events of the case and of what hangs on it, oldest first, paged; other courts' cases are 404", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    await receive(t, s.clerk, c.id, "100.00");
    await patchCase(c.id, { cause: "民间借贷纠纷", reason: "改案由" });
    const applicant = c.parties.find((p) => p.role === "applicant")!;
    await request(t.app).patch(`/v1/parties/${applicant.id}`).set(s.clerk.auth).send({ name: "刘某某", reason: "错字" });
    const unrelated = await createCase(t, s.clerk, s.court.id);

    const page1 = await request(t.app).get(`/v1/cases/${c.id}/history`).query({ limit: 2 }).set(s.inspector.auth);
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((e: { action: string }) => e.action)).toEqual(["case.created", "receipt.recorded"]);
    const page2 = await request(t.app).get(`/v1/cases/${c.id}/history`).query({ limit: 2, cursor: page1.body.nextCursor }).set(s.clerk.auth);
    expect(page2.body.data.map((e: { action: string }) => e.action)).toEqual(["case.corrected", "party.corrected"]);
    expect(page2.body.nextCursor).toBeNull();
    const all = [...page1.body.data, ...page2.body.data];
    expect(all.every((e: { entityId: string }) => e.entityId !== unrelated.id)).toBe(true);
    expect(all.map((e: { seq: string }) => BigInt(e.seq))).toEqual([...all.map((e: { seq: string }) => BigInt(e.seq))].sort((a, b) => (a < b ? -1 : 1)));

    const other = await courtWithStaff(t, "K3");
    expectProblem(await request(t.app).get(`/v1/cases/${c.id}/history`).set(other.inspector.auth), 404, "not_found");
    expectProblem(await request(t.app).get(`/v1/cases/${c.id}/history`).set(s.officer.auth), 403, "forbidden");
  });
});

describe("racing corrections (real PostgreSQL)", () => {
  const onPg = process.env.DATABASE_URL ? test : test.skip;
  if (!process.env.DATABASE_URL) console.warn("corrections.test.ts: the race runs on PostgreSQL only (PGlite serialises everything): set DATABASE_URL");

  onPg("two cases corrected to the same new number at once: one wins, the other is 409, never a 500", async () => {
    const a = await createCase(t, s.clerk, s.court.id);
    const b = await createCase(t, s.clerk, s.court.id);
    const target = `(2024)湘1129执R${Date.now()}号`;
    const results = await Promise.all([a, b].map((c) => patchCase(c.id, { caseNumber: target, reason: "并发" })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await t.db.knex("cases").where({ court_id: s.court.id, case_number_key: target })).toHaveLength(1);
  });

  onPg("a correction of the amount racing a receipt: fullyPerformedOn always follows the final figures", async () => {
    for (let round = 0; round < 5; round++) {
      const c = await createCase(t, s.clerk, s.court.id, { adjudicatedAmount: "1000.00" });
      await receive(t, s.clerk, c.id, "500.00", "2024-03-01");
      const [receipt, patch] = await Promise.all([
        postReceipt(t, s.clerk, c.id, { amount: "500.00", receivedOn: "2024-03-02", source: "voluntary" }),
        patchCase(c.id, { adjudicatedAmount: "1200.00", reason: "并发" }),
      ]);
      expect([receipt.status, patch.status]).toEqual([201, 200]);
      const after = await request(t.app).get(`/v1/cases/${c.id}`).set(s.clerk.auth);
      expect(after.body).toMatchObject({ adjudicatedAmount: "1200.00", fullyPerformedOn: null, balances: { received: "1000.00", outstanding: "200.00" } });
      const back = await patchCase(c.id, { adjudicatedAmount: "1000.00", reason: "恢复" });
      expect(back.body.fullyPerformedOn).toBe("2024-03-02");
    }
  });
});

describe("a case's history and money that moved between cases", () => {
  test("a receipt transfer shows in the history of both cases", async () => {
    const from = await createCase(t, s.clerk, s.court.id);
    const to = await createCase(t, s.clerk, s.court.id);
    const r = await receive(t, s.clerk, from.id, "100.00");
    const asked = await request(t.app).post(`/v1/receipts/${r.id}/transfer`).set(s.finance.auth).set("Idempotency-Key", newKey()).send({ toCaseId: to.id, reason: "错记案件" });
    expect(asked.status).toBe(201);
    for (const c of [from, to]) {
      const h = await request(t.app).get(`/v1/cases/${c.id}/history`).set(s.clerk.auth);
      expect(h.body.data.map((e: { action: string }) => e.action)).toContain("receipt_transfer.requested");
    }
  });
});
