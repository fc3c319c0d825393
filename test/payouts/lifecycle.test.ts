import request from "supertest";
import { courtWithStaff, getCase, newKey, receive } from "../helpers/factories";
import { expectBalancesEqualJournal } from "../helpers/ledger-invariants";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { act, approved, draft, execute, executed, expectReconciled, fundedCase, item, returnItem } from "./payout-helpers";
import { expectProblem } from "../helpers/problem";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await expectBalancesEqualJournal(t.db.knex);
  await t.close();
});

const balancesOf = async (s: { clerk: Parameters<typeof getCase>[1] }, caseId: string) => (await getCase(t, s.clerk, caseId)).balances;

describe("submitting reserves the money", () => {
  test("submit reserves each case's items, copies each payee's account, and shows at once in the case's balances", async () => {
    const s = await courtWithStaff(t);
    const a = await fundedCase(t, s, "1000.00");
    const b = await fundedCase(t, s, "300.00");
    const batch = await draft(t, s, [item(a, "600.00"), item(a, "100.00"), item(b, "300.00")]);
    const res = await act(t, s.clerk, batch.id, "submit");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "submitted", submittedBy: s.clerk.id, submittedAt: expect.any(String) });
    expect(res.body.items[0].payee).toEqual({ name: expect.stringMatching(/^申请人/), bankName: "中国农业银行江华支行", accountName: expect.any(String), accountNumberMasked: "****9012", nameMismatch: false });
    expect(await balancesOf(s, a.id)).toMatchObject({ held: "1000.00", reserved: "700.00", available: "300.00", disbursed: "0.00" });
    expect(await balancesOf(s, b.id)).toMatchObject({ held: "300.00", reserved: "300.00", available: "0.00" });
    await expectReconciled(t, s);
  });

  test("when a case is short, the whole submit is 409 insufficient_funds naming each short case, and nothing is reserved", async () => {
    const s = await courtWithStaff(t);
    const ok = await fundedCase(t, s, "1000.00");
    const short1 = await fundedCase(t, s, "100.00");
    const short2 = await fundedCase(t, s, "50.00");
    const batch = await draft(t, s, [item(ok, "10.00"), item(short1, "60.00"), item(short1, "40.01"), item(short2, "50.01")]);
    const res = await act(t, s.clerk, batch.id, "submit");
    expectProblem(res, 409, "insufficient_funds");
    expect(res.body.cases).toEqual(
      [
        { caseId: short1.id, available: "100.00", requested: "100.01" },
        { caseId: short2.id, available: "50.00", requested: "50.01" },
      ].sort((x, y) => (x.caseId < y.caseId ? -1 : 1)),
    );
    for (const c of [ok, short1, short2]) expect((await balancesOf(s, c.id)).reserved).toBe("0.00");
    const after = await request(t.app).get(`/v1/payout-batches/${batch.id}`).set(s.clerk.auth);
    expect(after.body.status).toBe("draft");
    expect(after.body.items.every((i: { payee: unknown }) => i.payee === null)).toBe(true);
  });

  test("money reserved by one batch is not available to the next, nor to a receipt reversal", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "0");
    const receipt = await receive(t, s.clerk, c.id, "100.00");
    const first = await draft(t, s, [item(c, "70.00")]);
    const second = await draft(t, s, [item(c, "70.00")]);
    await act(t, s.clerk, first.id, "submit").expect(200);
    const res = await act(t, s.clerk, second.id, "submit");
    expectProblem(res, 409, "insufficient_funds");
    expect(res.body.cases).toEqual([{ caseId: c.id, available: "30.00", requested: "70.00" }]);
    const reversal = await request(t.app).post(`/v1/receipts/${receipt.id}/reverse`).set(s.finance.auth).set("Idempotency-Key", newKey()).send({ reason: "x" });
    expectProblem(reversal, 409, "insufficient_funds");
    expect((await balancesOf(s, c.id)).held).toBe("100.00");
  });

  test("a draft whose case was closed meanwhile cannot be submitted: 409 invalid_state naming the item", async () => {
    const s = await courtWithStaff(t);
    const funded = await fundedCase(t, s, "100.00");
    const empty = await fundedCase(t, s, "0");
    const batch = await draft(t, s, [item(funded, "10.00"), item(empty, "10.00")]);
    await request(t.app).post(`/v1/cases/${empty.id}/close`).set(s.clerk.auth).send({ closureType: "withdrawn", closedOn: "2024-02-01" }).expect(200);
    const res = await act(t, s.clerk, batch.id, "submit");
    expectProblem(res, 409, "invalid_state");
    expect(res.body.errors).toEqual([{ path: "items.1", message: "the case has been closed" }]);
    expect((await balancesOf(s, funded.id)).reserved).toBe("0.00");
  });

  test("the payee is the account on file at submit: an account change approved later does not redirect the item", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await draft(t, s, [item(c, "100.00")]);
    await act(t, s.clerk, batch.id, "submit").expect(200);
    const change = await request(t.app)
      .post(`/v1/parties/${c.applicantId}/bank-account-changes`)
      .set(s.clerk.auth)
      .send({ bankAccount: { bankName: "别的银行", accountName: "别人", accountNumber: "9999888877776666" } });
    expect(change.status).toBe(201);
    await request(t.app).post(`/v1/bank-account-changes/${change.body.id}/approve`).set(s.approver.auth).expect(200);
    await act(t, s.approver, batch.id, "approve").expect(200);
    const file = await request(t.app).get(`/v1/payout-batches/${batch.id}/payment-file`).set(s.finance.auth);
    expect(file.text).toContain("6228480123456789012");
    expect(file.text).not.toContain("9999888877776666");
    const got = await request(t.app).get(`/v1/payout-batches/${batch.id}`).set(s.clerk.auth);
    expect(got.body.items[0].payee).toMatchObject({ bankName: "中国农业银行江华支行", accountNumberMasked: "****9012" });
  });
});

describe("four eyes", () => {
  test("the creator cannot approve her own batch, even with the approver role (same_person, by user id)", async () => {
    const s = await courtWithStaff(t);
    const both = await t.user(["clerk", "approver", "finance"], [s.court.id], s.approver.name);
    const c = await fundedCase(t, s, "100.00");
    const batch = await draft(t, s, [item(c, "10.00")], both);
    await act(t, both, batch.id, "submit").expect(200);
    expectProblem(await act(t, both, batch.id, "approve"), 403, "same_person");
    // Same name, different person: that is a second person.
    const approvedRes = await act(t, s.approver, batch.id, "approve");
    expect(approvedRes.status).toBe(200);
    expectProblem(await execute(t, both, batch.id, { paidOn: "2024-04-01" }), 403, "same_person");
    expect((await balancesOf(s, c.id)).disbursed).toBe("0.00");
  });

  test("the clerk who submitted someone else's draft cannot approve or execute it either", async () => {
    const s = await courtWithStaff(t);
    const submitter = await t.user(["clerk", "approver", "finance"], [s.court.id]);
    const c = await fundedCase(t, s, "100.00");
    const batch = await draft(t, s, [item(c, "10.00")]);
    await act(t, submitter, batch.id, "submit").expect(200);
    expectProblem(await act(t, submitter, batch.id, "approve"), 403, "same_person");
    await act(t, s.approver, batch.id, "approve").expect(200);
    expectProblem(await execute(t, submitter, batch.id, { paidOn: "2024-04-01" }), 403, "same_person");
    await execute(t, s.finance, batch.id, { paidOn: "2024-04-01" }).expect(200);
  });

  test("an approver of another court gets 404, and roles are enforced on every action", async () => {
    const s = await courtWithStaff(t);
    const other = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await draft(t, s, [item(c, "10.00")]);
    expectProblem(await act(t, s.finance, batch.id, "submit"), 403, "forbidden");
    await act(t, s.clerk, batch.id, "submit").expect(200);
    expectProblem(await act(t, other.approver, batch.id, "approve"), 404, "not_found");
    expectProblem(await act(t, s.clerk, batch.id, "approve"), 403, "forbidden");
    expectProblem(await act(t, s.finance, batch.id, "reject", { reason: "x" }), 403, "forbidden");
    await act(t, s.approver, batch.id, "approve").expect(200);
    expectProblem(await execute(t, s.approver, batch.id, { paidOn: "2024-04-01" }), 403, "forbidden");
    expectProblem(await execute(t, other.finance, batch.id, { paidOn: "2024-04-01" }), 404, "not_found");
    expectProblem(await request(t.app).get(`/v1/payout-batches/${batch.id}/payment-file`).set(s.clerk.auth), 403, "forbidden");
  });

  test("only the clerk who created a batch may cancel it", async () => {
    const s = await courtWithStaff(t);
    const colleague = await t.user(["clerk"], [s.court.id]);
    const c = await fundedCase(t, s, "100.00");
    const batch = await draft(t, s, [item(c, "10.00")]);
    expectProblem(await act(t, colleague, batch.id, "cancel"), 403, "forbidden");
    const res = await act(t, s.clerk, batch.id, "cancel", { reason: "wrong amounts" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "cancelled", cancelledBy: s.clerk.id, cancelReason: "wrong amounts" });
  });
});

describe("rejecting and cancelling release the reservation", () => {
  test("reject (with a reason) gives the money back to the cases", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await draft(t, s, [item(c, "80.00")]);
    await act(t, s.clerk, batch.id, "submit").expect(200);
    expectProblem(await act(t, s.approver, batch.id, "reject", {}), 400, "validation_failed");
    const res = await act(t, s.approver, batch.id, "reject", { reason: "账户待核实" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "rejected", rejectedBy: s.approver.id, rejectReason: "账户待核实" });
    expect(await balancesOf(s, c.id)).toMatchObject({ reserved: "0.00", available: "100.00", held: "100.00" });
    await expectReconciled(t, s);
  });

  test("cancelling a submitted batch releases it; cancelling a draft has nothing to release", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const submitted = await draft(t, s, [item(c, "80.00")]);
    const plain = await draft(t, s, [item(c, "20.00")]);
    await act(t, s.clerk, submitted.id, "submit").expect(200);
    await act(t, s.clerk, plain.id, "submit").expect(200);
    expect((await balancesOf(s, c.id)).reserved).toBe("100.00");
    await act(t, s.clerk, submitted.id, "cancel").expect(200);
    expect((await balancesOf(s, c.id)).reserved).toBe("20.00");
    const d = await draft(t, s, [item(c, "5.00")]);
    await act(t, s.clerk, d.id, "cancel").expect(200);
    expect((await balancesOf(s, c.id)).reserved).toBe("20.00");
  });
});

describe("executing pays the money out, all of it or none of it", () => {
  test("without outcomes every item is paid: disbursed rises, held falls, the reservation is gone, the ledger shows each payout", async () => {
    const s = await courtWithStaff(t);
    const a = await fundedCase(t, s, "1000.00", "2024-03-01");
    const b = await fundedCase(t, s, "500.00", "2024-03-05");
    const batch = await approved(t, s, [item(a, "600.00"), item(a, "0.01"), item(b, "500.00")]);
    const res = await execute(t, s.finance, batch.id, { paidOn: "2024-03-10" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "executed",
      executedBy: s.finance.id,
      paidOn: "2024-03-10",
      totals: { amount: "1100.01", paid: { items: 3, amount: "1100.01" }, pending: { items: 0, amount: "0.00" } },
    });
    expect(res.body.items.map((i: { status: string }) => i.status)).toEqual(["paid", "paid", "paid"]);
    expect(await balancesOf(s, a.id)).toMatchObject({ received: "1000.00", disbursed: "600.01", held: "399.99", reserved: "0.00", available: "399.99" });
    expect(await balancesOf(s, b.id)).toMatchObject({ disbursed: "500.00", held: "0.00", reserved: "0.00" });
    const ledger = await request(t.app).get(`/v1/cases/${a.id}/ledger`).set(s.clerk.auth);
    expect(ledger.body.data.map((e: { kind: string; amount: string; effectiveOn: string; balanceAfter: string; payoutItemId: string | null }) => [e.kind, e.amount, e.effectiveOn, e.balanceAfter, e.payoutItemId])).toEqual([
      ["receipt", "1000.00", "2024-03-01", "1000.00", null],
      ["payout", "600.00", "2024-03-10", "400.00", batch.items[0].id],
      ["payout", "0.01", "2024-03-10", "399.99", batch.items[1].id],
    ]);
    await expectReconciled(t, s);
  });

  test("with outcomes, paid items pay and failed items only release their reservation", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "1000.00");
    const batch = await approved(t, s, [item(c, "100.00"), item(c, "200.00"), item(c, "300.00")]);
    const [i1, i2, i3] = batch.items;
    const res = await execute(t, s.finance, batch.id, {
      paidOn: "2024-04-02",
      outcomes: [
        { itemId: i3.id, status: "paid", bankReference: "B-3" },
        { itemId: i1.id, status: "failed", failureReason: "账户已销户" },
        { itemId: i2.id, status: "paid" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { status: string; bankReference: string | null; failureReason: string | null }) => [i.status, i.bankReference, i.failureReason])).toEqual([
      ["failed", null, "账户已销户"],
      ["paid", null, null],
      ["paid", "B-3", null],
    ]);
    expect(res.body.totals).toMatchObject({ paid: { items: 2, amount: "500.00" }, failed: { items: 1, amount: "100.00" } });
    expect(await balancesOf(s, c.id)).toMatchObject({ disbursed: "500.00", held: "500.00", reserved: "0.00", available: "500.00" });
    await expectReconciled(t, s);
  });

  test.each([
    ["an item of another batch", "not an item of this batch"],
    ["the same item twice", "this item already has an outcome"],
    ["too few items", "has no outcome"],
  ])("outcomes naming %s are a 400 and nothing is recorded", async (what, message) => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await approved(t, s, [item(c, "10.00"), item(c, "20.00")]);
    const stranger = await approved(t, s, [item(c, "1.00")]);
    const [i1, i2] = batch.items;
    const outcomes =
      what === "an item of another batch"
        ? [{ itemId: i1.id, status: "paid" }, { itemId: i2.id, status: "paid" }, { itemId: stranger.items[0].id, status: "paid" }]
        : what === "the same item twice"
          ? [{ itemId: i1.id, status: "paid" }, { itemId: i2.id, status: "paid" }, { itemId: i1.id, status: "failed", failureReason: "x" }]
          : [{ itemId: i1.id, status: "paid" }];
    const res = await execute(t, s.finance, batch.id, { paidOn: "2024-04-01", outcomes });
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors[0].message).toContain(message);
    expect((await request(t.app).get(`/v1/payout-batches/${batch.id}`).set(s.clerk.auth)).body.status).toBe("approved");
    expect(await balancesOf(s, c.id)).toMatchObject({ disbursed: "0.00", reserved: "31.00" });
  });

  test("a failed outcome needs a failureReason, a paid one takes none", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await approved(t, s, [item(c, "10.00")]);
    const itemId = batch.items[0].id;
    const noReason = await execute(t, s.finance, batch.id, { paidOn: "2024-04-01", outcomes: [{ itemId, status: "failed" }] });
    expectProblem(noReason, 400, "validation_failed");
    expect(noReason.body.errors).toEqual([{ path: "body.outcomes.0.failureReason", message: "a failed item needs a failureReason" }]);
    const paidWithReason = await execute(t, s.finance, batch.id, { paidOn: "2024-04-01", outcomes: [{ itemId, status: "paid", failureReason: "x" }] });
    expectProblem(paidWithReason, 400, "validation_failed");
  });

  test("paidOn may not be in the future nor before a paid case's first receipt, but may lie before the approval", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00", "2024-03-15");
    const batch = await approved(t, s, [item(c, "10.00")]);
    const future = await execute(t, s.finance, batch.id, { paidOn: "2999-01-01" });
    expectProblem(future, 400, "validation_failed");
    expect(future.body.errors[0].path).toBe("body.paidOn");
    const early = await execute(t, s.finance, batch.id, { paidOn: "2024-03-14" });
    expectProblem(early, 400, "validation_failed");
    expect(early.body.errors[0]).toEqual({ path: "body.paidOn", message: expect.stringContaining("2024-03-15") });
    // Long before today's approval: payments are often recorded after the fact.
    const res = await execute(t, s.finance, batch.id, { paidOn: "2024-03-15" });
    expect(res.status).toBe(200);
  });

  test("a failed item's case may have received nothing before paidOn: only paid cases are checked", async () => {
    const s = await courtWithStaff(t);
    const early = await fundedCase(t, s, "100.00", "2024-03-01");
    const late = await fundedCase(t, s, "100.00", "2024-05-01");
    const batch = await approved(t, s, [item(early, "10.00"), item(late, "10.00")]);
    const res = await execute(t, s.finance, batch.id, {
      paidOn: "2024-04-01",
      outcomes: [
        { itemId: batch.items[0].id, status: "paid" },
        { itemId: batch.items[1].id, status: "failed", failureReason: "退票" },
      ],
    });
    expect(res.status).toBe(200);
  });

  test("a retried execute with the same key replays the answer and pays once; a new key is 409 invalid_state", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await approved(t, s, [item(c, "40.00")]);
    const key = newKey();
    const first = await execute(t, s.finance, batch.id, { paidOn: "2024-04-01" }, key);
    const again = await execute(t, s.finance, batch.id, { paidOn: "2024-04-01" }, key);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.body).toEqual(first.body);
    expectProblem(await execute(t, s.finance, batch.id, { paidOn: "2024-04-01" }), 409, "invalid_state");
    expectProblem(await request(t.app).post(`/v1/payout-batches/${batch.id}/execute`).set(s.finance.auth).send({ paidOn: "2024-04-01" }), 400, "idempotency_key_required");
    expect(await balancesOf(s, c.id)).toMatchObject({ disbursed: "40.00", held: "60.00" });
    expect(await t.db.knex("journal_entries").where({ case_id: c.id, kind: "payout" })).toHaveLength(1);
  });
});

describe("returns: a transfer the bank sent back", () => {
  test("the money comes back to the case's held balance with a payout_return entry, and the item is returned", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await executed(t, s, [item(c, "60.00"), item(c, "40.00")], "2024-04-01");
    const res = await returnItem(t, s.finance, batch.id, batch.items[1].id, { returnedOn: "2024-04-03", reason: "户名不符" });
    expect(res.status).toBe(200);
    expect(res.body.items[1]).toMatchObject({ status: "returned", returnedOn: "2024-04-03", returnReason: "户名不符" });
    expect(res.body.totals).toMatchObject({ paid: { items: 1, amount: "60.00" }, returned: { items: 1, amount: "40.00" } });
    expect(await balancesOf(s, c.id)).toMatchObject({ disbursed: "60.00", held: "40.00", available: "40.00", reserved: "0.00" });
    const ledger = await request(t.app).get(`/v1/cases/${c.id}/ledger`).set(s.clerk.auth);
    expect(ledger.body.data.at(-1)).toMatchObject({ kind: "payout_return", direction: "in", amount: "40.00", effectiveOn: "2024-04-03", balanceAfter: "40.00", payoutItemId: batch.items[1].id });
    // The returned money can be paid out again, in a new batch.
    const again = await executed(t, s, [item(c, "40.00")], "2024-04-05");
    expect(again.status).toBe("executed");
    expect(await balancesOf(s, c.id)).toMatchObject({ disbursed: "100.00", held: "0.00" });
    await expectReconciled(t, s);
  });

  test("returnedOn lies between paidOn and today; the reason is required", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await executed(t, s, [item(c, "10.00")], "2024-04-01");
    const itemId = batch.items[0].id;
    expectProblem(await returnItem(t, s.finance, batch.id, itemId, { returnedOn: "2024-03-31", reason: "x" }), 400, "validation_failed");
    expectProblem(await returnItem(t, s.finance, batch.id, itemId, { returnedOn: "2999-01-01", reason: "x" }), 400, "validation_failed");
    expectProblem(await returnItem(t, s.finance, batch.id, itemId, { returnedOn: "2024-04-02" }), 400, "validation_failed");
    expectProblem(await returnItem(t, s.clerk, batch.id, itemId, { returnedOn: "2024-04-02", reason: "x" }), 403, "forbidden");
    const otherBatch = await executed(t, s, [item(c, "1.00")]);
    expectProblem(await returnItem(t, s.finance, otherBatch.id, itemId, { returnedOn: "2024-04-02", reason: "x" }), 404, "not_found");
  });

  test("a return into a case closed since the payout still lands: the money is back in the court's account", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "50.00");
    const batch = await executed(t, s, [item(c, "50.00")], "2024-04-01");
    await request(t.app).post(`/v1/cases/${c.id}/close`).set(s.clerk.auth).send({ closureType: "other", closedOn: "2024-04-02" }).expect(200);
    const res = await returnItem(t, s.finance, batch.id, batch.items[0].id, { returnedOn: "2024-04-03", reason: "退汇" });
    expect(res.status).toBe(200);
    expect(await balancesOf(s, c.id)).toMatchObject({ held: "50.00" });
    await expectReconciled(t, s);
  });
});

describe("the state machine: every other transition is 409 invalid_state and changes nothing", () => {
  test("approve a draft, reject a draft, submit twice, execute a submitted batch, payment file of a draft", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await draft(t, s, [item(c, "10.00")]);
    expectProblem(await act(t, s.approver, batch.id, "approve"), 409, "invalid_state");
    expectProblem(await act(t, s.approver, batch.id, "reject", { reason: "x" }), 409, "invalid_state");
    expectProblem(await request(t.app).get(`/v1/payout-batches/${batch.id}/payment-file`).set(s.finance.auth), 409, "invalid_state");
    await act(t, s.clerk, batch.id, "submit").expect(200);
    expectProblem(await act(t, s.clerk, batch.id, "submit"), 409, "invalid_state");
    expectProblem(await execute(t, s.finance, batch.id, { paidOn: "2024-04-01" }), 409, "invalid_state");
    expect((await balancesOf(s, c.id)).reserved).toBe("10.00");
  });

  test("approve twice, cancel or reject an approved batch", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await approved(t, s, [item(c, "10.00")]);
    expectProblem(await act(t, s.approver, batch.id, "approve"), 409, "invalid_state");
    expectProblem(await act(t, s.clerk, batch.id, "cancel"), 409, "invalid_state");
    expectProblem(await act(t, s.approver, batch.id, "reject", { reason: "x" }), 409, "invalid_state");
    expect((await balancesOf(s, c.id)).reserved).toBe("10.00");
  });

  test("cancel an executed batch, submit a cancelled one, approve a rejected one", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const done = await executed(t, s, [item(c, "10.00")]);
    expectProblem(await act(t, s.clerk, done.id, "cancel"), 409, "invalid_state");
    const cancelled = await draft(t, s, [item(c, "10.00")]);
    await act(t, s.clerk, cancelled.id, "cancel").expect(200);
    expectProblem(await act(t, s.clerk, cancelled.id, "submit"), 409, "invalid_state");
    expectProblem(await act(t, s.clerk, cancelled.id, "cancel"), 409, "invalid_state");
    const rejected = await draft(t, s, [item(c, "10.00")]);
    await act(t, s.clerk, rejected.id, "submit").expect(200);
    await act(t, s.approver, rejected.id, "reject", { reason: "x" }).expect(200);
    expectProblem(await act(t, s.approver, rejected.id, "approve"), 409, "invalid_state");
    expect(await balancesOf(s, c.id)).toMatchObject({ disbursed: "10.00", reserved: "0.00", held: "90.00" });
  });

  test("return a failed item, return twice, return an item of a batch not yet executed", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await approved(t, s, [item(c, "10.00"), item(c, "20.00")]);
    const [paid, failed] = batch.items;
    expectProblem(await returnItem(t, s.finance, batch.id, paid.id, { returnedOn: "2024-04-02", reason: "x" }), 409, "invalid_state");
    await execute(t, s.finance, batch.id, {
      paidOn: "2024-04-01",
      outcomes: [
        { itemId: paid.id, status: "paid" },
        { itemId: failed.id, status: "failed", failureReason: "账号错误" },
      ],
    }).expect(200);
    expectProblem(await returnItem(t, s.finance, batch.id, failed.id, { returnedOn: "2024-04-02", reason: "x" }), 409, "invalid_state");
    await returnItem(t, s.finance, batch.id, paid.id, { returnedOn: "2024-04-02", reason: "x" }).expect(200);
    expectProblem(await returnItem(t, s.finance, batch.id, paid.id, { returnedOn: "2024-04-02", reason: "x" }), 409, "invalid_state");
    expect(await balancesOf(s, c.id)).toMatchObject({ disbursed: "0.00", held: "100.00", reserved: "0.00" });
    expect(await t.db.knex("journal_entries").where({ payout_item_id: paid.id })).toHaveLength(2);
  });
});

describe("the records are evidence", () => {
  test("each batch action is one audit event with counts and totals, never the full account number", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await executed(t, s, [item(c, "10.00"), item(c, "20.00")]);
    const events = await t.db.knex("audit_events").where({ entity_type: "payout_batch", entity_id: batch.id }).orderBy("seq");
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      "payout_batch.created",
      "payout_batch.submitted",
      "payout_batch.approved",
      "payout_batch.executed",
    ]);
    expect(events[3].data).toMatchObject({ paidOn: "2024-04-01", paid: { items: 2, cases: 1, amount: "30.00" }, failed: { items: 0, amount: "0.00" } });
    expect(JSON.stringify(events)).not.toContain("6228480123456789012");
    const verify = await request(t.app).get("/v1/audit-events/verify").set(t.admin.auth);
    expect(verify.body.ok).toBe(true);
  });

  test("the database refuses to change an item's amount or payee, to delete items or batches, and to skip a state", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await executed(t, s, [item(c, "10.00")]);
    const knex = t.db.knex;
    await expect(knex("payout_items").where({ id: batch.items[0].id }).update({ amount: "1.00" })).rejects.toThrow(/never change/);
    await expect(knex("payout_items").where({ id: batch.items[0].id }).update({ payee_account_number: "1111222233334444" })).rejects.toThrow(/written once/);
    await expect(knex("payout_items").where({ id: batch.items[0].id }).del()).rejects.toThrow(/never deleted/);
    await expect(knex("payout_batches").where({ id: batch.id }).del()).rejects.toThrow(/never deleted/);
    await expect(knex("payout_batches").where({ id: batch.id }).update({ status: "draft" })).rejects.toThrow(/cannot go from executed to draft/);
    await expect(knex("payout_items").where({ id: batch.items[0].id }).update({ status: "pending" })).rejects.toThrow(/cannot go from paid to pending/);
  });

  test("the journal pays an item at most once, even if the code were to try twice", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await executed(t, s, [item(c, "10.00")]);
    await expect(
      knexPostPayout(batch.items[0].id, c.id, s.court.id, s.finance.id),
    ).rejects.toThrow(/journal_entries_payout_item_once_idx|duplicate key/);
  });
});

async function knexPostPayout(itemId: string, caseId: string, courtId: string, userId: string) {
  await t.db.knex("journal_entries").insert({ id: newKey(), court_id: courtId, case_id: caseId, kind: "payout", amount: "10.00", effective_on: "2024-04-01", payout_item_id: itemId, created_by: userId });
}

test("receipts, payouts and returns interleaved keep the court reconciled", async () => {
  const s = await courtWithStaff(t);
  const c = await fundedCase(t, s, "100.00");
  const b1 = await executed(t, s, [item(c, "100.00")], "2024-04-01");
  await receive(t, s.clerk, c.id, "50.00", "2024-04-02");
  await returnItem(t, s.finance, b1.id, b1.items[0].id, { returnedOn: "2024-04-03", reason: "退回" }).expect(200);
  await executed(t, s, [item(c, "150.00")], "2024-04-04");
  expect(await balancesOf(s, c.id)).toMatchObject({ received: "150.00", disbursed: "150.00", held: "0.00", reserved: "0.00" });
  await expectReconciled(t, s);
});
