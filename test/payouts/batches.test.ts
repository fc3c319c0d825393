import request from "supertest";
import { courtWithStaff, createCase, newKey } from "../helpers/factories";
import { expectBalancesEqualJournal } from "../helpers/ledger-invariants";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { act, draft, fundedCase, item, postBatch, type Staff } from "./payout-helpers";
import { expectProblem } from "../helpers/problem";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await expectBalancesEqualJournal(t.db.knex);
  await t.close();
});

const batchesOf = (caseId: string) => t.db.knex("payout_items").where({ case_id: caseId });

describe("creating a payout batch", () => {
  test("a clerk's batch starts as a draft with its items and totals, and reserves nothing yet", async () => {
    const s = await courtWithStaff(t);
    const a = await fundedCase(t, s, "1000.00");
    const b = await fundedCase(t, s, "500.00");
    const res = await postBatch(t, s.clerk, { courtId: s.court.id, note: "三月第一批", items: [item(a, "300"), item(a, "0.5"), item(b, "500.00")] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      courtId: s.court.id,
      status: "draft",
      note: "三月第一批",
      createdBy: s.clerk.id,
      submittedBy: null,
      approvedBy: null,
      paidOn: null,
      totals: { items: 3, cases: 2, amount: "800.50", pending: { items: 3, amount: "800.50" }, paid: { items: 0, amount: "0.00" } },
    });
    expect(res.body.items.map((i: { line: number; amount: string; status: string; payee: unknown }) => [i.line, i.amount, i.status, i.payee])).toEqual([
      [1, "300.00", "pending", null],
      [2, "0.50", "pending", null],
      [3, "500.00", "pending", null],
    ]);
    const got = await request(t.app).get(`/v1/payout-batches/${res.body.id}`).set(s.finance.auth);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    const c = await request(t.app).get(`/v1/cases/${a.id}`).set(s.clerk.auth);
    expect(c.body.balances).toMatchObject({ held: "1000.00", reserved: "0.00", available: "1000.00" });
  });

  test.each([
    ["a debtor of the case", (c: Awaited<ReturnType<typeof fundedCase>>) => ({ caseId: c.id, partyId: c.debtorId, amount: "1.00" }), "body.items.0.partyId"],
    ["an unknown case", (c: Awaited<ReturnType<typeof fundedCase>>) => ({ caseId: "00000000-0000-4000-8000-000000000000", partyId: c.applicantId, amount: "1.00" }), "body.items.0.caseId"],
  ])("an item paying %s is a 400 naming the item, and nothing is stored", async (_what, makeItem, path) => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const res = await postBatch(t, s.clerk, { courtId: s.court.id, items: [makeItem(c)] });
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors).toEqual([{ path, message: expect.any(String) }]);
    expect(await batchesOf(c.id)).toHaveLength(0);
  });

  test("every bad item is named: another case's applicant, an applicant without a bank account, a closed case, another court's case", async () => {
    const s = await courtWithStaff(t);
    const other = await courtWithStaff(t);
    const good = await fundedCase(t, s, "100.00");
    const second = await fundedCase(t, s, "100.00");
    const noAccount = await fundedCase(t, s, "100.00", "2024-03-01", {
      applicants: [{ name: "无账户申请人", kind: "person" }],
    });
    const closed = await createCase(t, s.clerk, s.court.id);
    await request(t.app).post(`/v1/cases/${closed.id}/close`).set(s.clerk.auth).send({ closureType: "withdrawn", closedOn: "2024-02-01" }).expect(200);
    const foreign = await fundedCase(t, other, "100.00");
    const res = await postBatch(t, s.clerk, {
      courtId: s.court.id,
      items: [
        item(good, "10.00"),
        { caseId: good.id, partyId: second.applicantId, amount: "10.00" },
        item(noAccount, "10.00"),
        { caseId: closed.id, partyId: closed.parties[0].id, amount: "10.00" },
        item(foreign, "10.00"),
      ],
    });
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors).toEqual([
      { path: "body.items.1.partyId", message: "not a party of this case" },
      { path: "body.items.2.partyId", message: "the applicant has no bank account on file" },
      { path: "body.items.3.caseId", message: "the case is closed" },
      { path: "body.items.4.caseId", message: "no such case in the batch's court" },
    ]);
    expect(await t.db.knex("payout_batches").where({ court_id: s.court.id })).toHaveLength(0);
  });

  test.each([
    ["a status", { status: "approved" }, "body.status"],
    ["an approver", { approvedBy: "00000000-0000-4000-8000-000000000000" }, "body.approvedBy"],
  ])("an unknown field (%s) is rejected, never stored", async (_what, extra, path) => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const res = await postBatch(t, s.clerk, { courtId: s.court.id, items: [item(c, "1.00")], ...extra });
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors).toEqual([{ path, message: "unknown field: not part of this request" }]);
    expect(await batchesOf(c.id)).toHaveLength(0);
  });

  test.each([
    ["a JSON number", 100, "body.items.0.amount"],
    ["three decimals", "1.001", "body.items.0.amount"],
    ["zero", "0.00", "body.items.0.amount"],
    ["a sign", "-5.00", "body.items.0.amount"],
  ])("an amount with %s is a 400 naming it", async (_what, amount, path) => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const res = await postBatch(t, s.clerk, { courtId: s.court.id, items: [{ caseId: c.id, partyId: c.applicantId, amount }] });
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
  });

  test("no items, or more than 10,000, is a 400", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    expectProblem(await postBatch(t, s.clerk, { courtId: s.court.id, items: [] }), 400, "validation_failed");
    const tooMany = Array.from({ length: 10001 }, () => item(c, "0.01"));
    const res = await postBatch(t, s.clerk, { courtId: s.court.id, items: tooMany });
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors[0].path).toBe("body.items");
  });

  test("only a clerk creates a batch, only in her courts (another court is 404), and an Idempotency-Key is required", async () => {
    const s = await courtWithStaff(t);
    const other = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const body = { courtId: s.court.id, items: [item(c, "1.00")] };
    expectProblem(await postBatch(t, s.finance, body), 403, "forbidden");
    expectProblem(await postBatch(t, s.approver, body), 403, "forbidden");
    expectProblem(await postBatch(t, other.clerk, body), 404, "not_found");
    const noKey = await request(t.app).post("/v1/payout-batches").set(s.clerk.auth).send(body);
    expectProblem(noKey, 400, "idempotency_key_required");
    expect(await batchesOf(c.id)).toHaveLength(0);
  });

  test("a retried creation with the same key makes one batch and replays the answer; another body with it is 422", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const key = newKey();
    const body = { courtId: s.court.id, items: [item(c, "10.00")] };
    const first = await postBatch(t, s.clerk, body, key);
    const again = await postBatch(t, s.clerk, body, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.body).toEqual(first.body);
    const reused = await postBatch(t, s.clerk, { ...body, items: [item(c, "20.00")] }, key);
    expectProblem(reused, 422, "idempotency_key_reused");
    expect(await batchesOf(c.id)).toHaveLength(1);
  });

  test("the creation is one audit event with counts, totals and a fingerprint of the items", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const b = await draft(t, s, [item(c, "10.00"), item(c, "20.00")]);
    const events = await t.db.knex("audit_events").where({ entity_type: "payout_batch", entity_id: b.id });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "payout_batch.created", actor_id: s.clerk.id, court_id: s.court.id });
    expect(events[0].data).toMatchObject({ items: 2, cases: 1, amount: "30.00", itemsSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});

describe("reading payout batches", () => {
  let s: Staff;
  const ids: string[] = [];
  beforeAll(async () => {
    s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "1000.00");
    for (let i = 0; i < 3; i++) ids.push((await draft(t, s, [item(c, `${i + 1}.00`)])).id);
    await act(t, s.clerk, ids[1], "submit").expect(200);
  });

  test("the list is newest first, without items, filtered by status, and pages with a cursor", async () => {
    const all = await request(t.app).get("/v1/payout-batches").query({ courtId: s.court.id }).set(s.approver.auth);
    expect(all.status).toBe(200);
    expect(all.body.data.map((b: { id: string }) => b.id)).toEqual([...ids].reverse());
    expect(all.body.data[0].items).toBeUndefined();
    expect(all.body.data[0].totals).toMatchObject({ items: 1, amount: "3.00", pending: { items: 1, amount: "3.00" } });
    const submitted = await request(t.app).get("/v1/payout-batches").query({ courtId: s.court.id, status: "submitted" }).set(s.approver.auth);
    expect(submitted.body.data.map((b: { id: string }) => b.id)).toEqual([ids[1]]);
    const page1 = await request(t.app).get("/v1/payout-batches").query({ courtId: s.court.id, limit: 2 }).set(s.approver.auth);
    expect(page1.body.data).toHaveLength(2);
    const page2 = await request(t.app).get("/v1/payout-batches").query({ courtId: s.court.id, limit: 2, cursor: page1.body.nextCursor }).set(s.approver.auth);
    expect(page2.body.data.map((b: { id: string }) => b.id)).toEqual([ids[0]]);
    expect(page2.body.nextCursor).toBeNull();
  });

  test("the created range is in China-time dates; a range that ends before it starts is a 400", async () => {
    const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    const inRange = await request(t.app).get("/v1/payout-batches").query({ courtId: s.court.id, createdFrom: today, createdTo: today }).set(s.clerk.auth);
    expect(inRange.body.data).toHaveLength(3);
    const before = await request(t.app).get("/v1/payout-batches").query({ courtId: s.court.id, createdTo: "2024-01-01" }).set(s.clerk.auth);
    expect(before.body.data).toHaveLength(0);
    const bad = await request(t.app).get("/v1/payout-batches").query({ createdFrom: "2024-02-01", createdTo: "2024-01-01" }).set(s.clerk.auth);
    expectProblem(bad, 400, "validation_failed");
  });

  test("another court's batch is 404, and so is its court in the list; my list leaves it out", async () => {
    const other = await courtWithStaff(t);
    expectProblem(await request(t.app).get(`/v1/payout-batches/${ids[0]}`).set(other.approver.auth), 404, "not_found");
    expectProblem(await request(t.app).get("/v1/payout-batches").query({ courtId: s.court.id }).set(other.approver.auth), 404, "not_found");
    const mine = await request(t.app).get("/v1/payout-batches").set(other.approver.auth);
    expect(mine.body.data).toEqual([]);
  });
});
