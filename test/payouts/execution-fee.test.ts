import request from "supertest";
import { courtWithStaff, createCase, newKey, receive, type Staff } from "../helpers/factories";
import { expectBalancesEqualJournal } from "../helpers/ledger-invariants";
import { expectProblem } from "../helpers/problem";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { act, execute, expectReconciled } from "./payout-helpers";

/**
 * 执行费 (issue 14): the execution fee (诉讼费用交纳办法 art. 14 (一): 50 yuan up to 10,000, then 1.5%
 * to 500,000…; borne by the debtor, art. 38; paid first from what is recovered, 民诉法解释 art. 508)
 * is paid from a case's proceeds to the court's fee account by a batch item of kind `execution_fee`.
 */
const MASTER = { bankName: "中国农业银行江华支行", accountName: "江华瑶族自治县人民法院", accountNumber: "43050101040066666" };
const FEE = { bankName: "中国农业银行江华支行", accountName: "江华瑶族自治县人民法院诉讼费专户", accountNumber: "43050101040077777" };

let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "EF");
  const set = await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ masterAccount: MASTER, feeAccount: FEE, chargeExecutionFee: true });
  expect(set.status).toBe(200);
});
afterAll(() => t.close());
afterEach(() => expectBalancesEqualJournal(t.db.knex));

const createBatch = (items: Record<string, unknown>[], court = s) =>
  request(t.app).post("/v1/payout-batches").set(court.clerk.auth).set("Idempotency-Key", newKey()).send({ courtId: court.court.id, items });
const batchCount = async () => (await t.db.knex("payout_batches").count<{ n: string }[]>("* as n"))[0].n;
const owed = (caseId: string, asOf?: string) => request(t.app).get(`/v1/cases/${caseId}/amount-owed`).query(asOf ? { asOf } : {}).set(s.clerk.auth);

async function fundedCase(adjudicatedAmount: string, received: string, court = s, receivedOn = "2024-03-01") {
  const c = await createCase(t, court.clerk, court.court.id, { adjudicatedAmount });
  await receive(t, court.finance, c.id, received, receivedOn);
  return { ...c, applicantId: c.parties.find((p) => p.role === "applicant")!.id };
}

describe("the court's fee account is a court setting", () => {
  test("an admin sets it; the court shows it in full like the master account, the audit trail only masked; it must not be the master account", async () => {
    const court = await request(t.app).get(`/v1/courts/${s.court.id}`).set(s.clerk.auth);
    expect(court.body.settings).toMatchObject({ masterAccount: MASTER, feeAccount: FEE, chargeExecutionFee: true });
    const event = await t.db.knex("audit_events").where({ entity_id: s.court.id, action: "court.settings_changed" }).orderBy("seq", "desc").first();
    expect(event.data.after.feeAccount).toEqual({ bankName: FEE.bankName, accountName: FEE.accountName, accountNumberMasked: expect.stringMatching(/7777$/) });
    expect(JSON.stringify(event.data)).not.toContain(FEE.accountNumber);
    const same = await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ feeAccount: MASTER });
    expectProblem(same, 400, "validation_failed");
    expectProblem(await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ feeAccount: { ...FEE, accountNumber: "12 34" } }), 400, "validation_failed");
    expect((await request(t.app).get(`/v1/courts/${s.court.id}`).set(s.clerk.auth)).body.settings.feeAccount).toEqual(FEE);
  });
});

describe("an execution fee item, from creation to the ledger and the reports", () => {
  test("100,000 adjudicated, 101,400 received: 1,400.00 fee (50 + 1.5% of 90,000) to the fee account beside 100,000 to the applicant; created, submitted, approved, executed", async () => {
    const c = await fundedCase("100000.00", "101400.00");
    expect((await owed(c.id)).body).toMatchObject({ executionFee: "1400.00", executionFeeCharged: true, executionFeePaidOut: "0.00", executionFeeUnpaid: "1400.00" });
    const created = await createBatch([
      { caseId: c.id, partyId: c.applicantId, amount: "100000.00" },
      { caseId: c.id, kind: "execution_fee", amount: "1400.00" },
    ]);
    expect(created.status).toBe(201);
    expect(created.body.items[1]).toMatchObject({ kind: "execution_fee", partyId: null, agentId: null, refundReason: null, amount: "1400.00", payee: null });
    const id = created.body.id as string;

    const submitted = await act(t, s.clerk, id, "submit");
    expect(submitted.status).toBe(200);
    // The payee is the court's fee account, copied at submit as a party's account is.
    expect(submitted.body.items[1].payee).toEqual({ name: FEE.accountName, bankName: FEE.bankName, accountName: FEE.accountName, accountNumberMasked: expect.stringMatching(/7777$/), nameMismatch: false });
    expect((await t.db.knex("case_balances").where({ case_id: c.id }).first()).reserved).toBe("101400.00");
    expect((await act(t, s.approver, id, "approve")).status).toBe(200);

    // The bank transfer file carries the fee account, its remark says 执行费.
    const csv = await request(t.app).get(`/v1/payout-batches/${id}/batch-transfer-file`).query({ format: "csv" }).set(s.finance.auth);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(FEE.accountNumber);
    expect(csv.text).toContain(FEE.accountName);
    expect(csv.text).toContain("执行费");
    const file = await request(t.app).get(`/v1/payout-batches/${id}/payment-file`).set(s.finance.auth);
    expect(file.text).toContain(FEE.accountNumber);

    const paid = await execute(t, s.finance, id, { paidOn: "2024-03-11" });
    expect(paid.status).toBe(200);
    expect(paid.body.items.map((i: { status: string }) => i.status)).toEqual(["paid", "paid"]);
    // The ledger: a payout entry for the fee item; the case holds nothing.
    const entry = await t.db.knex("journal_entries").where({ payout_item_id: created.body.items[1].id }).first();
    expect(entry).toMatchObject({ kind: "payout", amount: "1400.00", case_id: c.id });
    expect(await t.db.knex("case_balances").where({ case_id: c.id }).first()).toMatchObject({ held: "0.00", reserved: "0.00", disbursed: "101400.00" });
    // What the case owes shows the fee paid to the fee account.
    expect((await owed(c.id, "2024-03-11")).body).toMatchObject({ executionFeePaidOut: "1400.00", executionFeeUnpaid: "0.00", outstanding: "0.00" });
    expect((await owed(c.id, "2024-03-10")).body).toMatchObject({ executionFeePaidOut: "0.00", executionFeeUnpaid: "1400.00" });
    // The disbursement report counts the applicant's 100,000, not the fee.
    const report = await request(t.app).get("/v1/reports/disbursements").query({ courtId: s.court.id, from: "2024-03-11", to: "2024-03-11" }).set(s.inspector.auth);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ cases: 1, payouts: 1, total: "100000.00" });
    // The held-funds report: the case holds nothing any more.
    const held = await request(t.app).get("/v1/reports/held-funds").query({ courtId: s.court.id, asOf: "2024-03-11" }).set(s.inspector.auth);
    expect(held.body.cases.find((x: { caseId: string }) => x.caseId === c.id)).toBeUndefined();
    const audit = await t.db.knex("audit_events").where({ entity_id: id }).orderBy("seq").select("action");
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["payout_batch.created", "payout_batch.submitted", "payout_batch.approved", "payout_batch.executed"]));
    await expectReconciled(t, s);
    // The fee is paid: a second fee item for the case is refused.
    expectProblem(await createBatch([{ caseId: c.id, kind: "execution_fee", amount: "0.01" }]), 409, "invalid_state");
  });

  test("a fee item returned by the bank gives the money back to the case and the fee is unpaid again", async () => {
    const c = await fundedCase("5000.00", "5050.00"); // fee 50.00
    const created = await createBatch([{ caseId: c.id, kind: "execution_fee", amount: "50.00" }]);
    expect(created.status).toBe(201);
    expect((await act(t, s.clerk, created.body.id, "submit")).status).toBe(200);
    expect((await act(t, s.approver, created.body.id, "approve")).status).toBe(200);
    expect((await execute(t, s.finance, created.body.id, { paidOn: "2024-03-05" })).status).toBe(200);
    expect((await owed(c.id, "2024-03-05")).body.executionFeePaidOut).toBe("50.00");
    const back = await request(t.app)
      .post(`/v1/payout-batches/${created.body.id}/items/${created.body.items[0].id}/return`)
      .set(s.finance.auth)
      .set("Idempotency-Key", newKey())
      .send({ returnedOn: "2024-03-06", reason: "账户名称不符" });
    expect(back.status).toBe(200);
    expect((await owed(c.id, "2024-03-06")).body).toMatchObject({ executionFeePaidOut: "0.00", executionFeeUnpaid: "50.00" });
    expect((await createBatch([{ caseId: c.id, kind: "execution_fee", amount: "50.00" }])).status).toBe(201);
  });
});

describe("money pays the fee first (民诉法解释 art. 508: 执行所得价款扣除执行费用后)", () => {
  test("an applicant's item may not take the money that paid the fee; beside a fee item for it, it may", async () => {
    const c = await fundedCase("100000.00", "100000.00"); // fee 1,400.00 comes off first
    const all = await createBatch([{ caseId: c.id, partyId: c.applicantId, amount: "100000.00" }]);
    expect(all.status).toBe(201);
    const refused = await act(t, s.clerk, all.body.id, "submit");
    expectProblem(refused, 409, "insufficient_funds");
    expect(refused.body.cases).toEqual([{ caseId: c.id, available: "98600.00", requested: "100000.00" }]);
    expect((await t.db.knex("case_balances").where({ case_id: c.id }).first()).reserved).toBe("0.00");
    const split = await createBatch([
      { caseId: c.id, partyId: c.applicantId, amount: "98600.00" },
      { caseId: c.id, kind: "execution_fee", amount: "1400.00" },
    ]);
    expect((await act(t, s.clerk, split.body.id, "submit")).status).toBe(200);
  });

  test("a fee item submitted in an earlier batch frees the rest for the applicant", async () => {
    const c = await fundedCase("5000.00", "5000.00"); // fee 50.00
    const fee = await createBatch([{ caseId: c.id, kind: "execution_fee", amount: "50.00" }]);
    expect((await act(t, s.clerk, fee.body.id, "submit")).status).toBe(200);
    const rest = await createBatch([{ caseId: c.id, partyId: c.applicantId, amount: "4950.00" }]);
    expect((await act(t, s.clerk, rest.body.id, "submit")).status).toBe(200);
  });

  test("a refund of a surplus leaves the money that paid the fee", async () => {
    const c = await createCase(t, s.clerk, s.court.id, { adjudicatedAmount: "100.00" }); // fee 50.00
    const debtor = c.parties.find((p) => p.role === "debtor")!;
    await t.db.knex("parties").where({ id: debtor.id }).update({ bank_name: "中国建设银行江华支行", bank_account_name: debtor.name, bank_account_number: "6217000012345678901" });
    await receive(t, s.finance, c.id, "300.00");
    const tooMuch = await createBatch([{ caseId: c.id, partyId: debtor.id, amount: "150.01", kind: "refund", refundReason: "surplus" }]);
    expectProblem(tooMuch, 409, "insufficient_funds");
    expect(tooMuch.body.cases[0]).toMatchObject({ available: "150.00" });
    expect((await createBatch([{ caseId: c.id, partyId: debtor.id, amount: "150.00", kind: "refund", refundReason: "surplus" }])).status).toBe(201);
  });
});

describe("bad input: a clear 4xx, nothing written", () => {
  test("never more than the unpaid fee, counting fee items paid or reserved by submitted batches; never more than the receipts paid towards it", async () => {
    const c = await fundedCase("100000.00", "200000.00"); // fee 1,400.00
    const before = await batchCount();
    const over = await createBatch([{ caseId: c.id, kind: "execution_fee", amount: "1400.01" }]);
    expectProblem(over, 409, "invalid_state");
    expect(over.body).toMatchObject({ reason: "fee_exceeds_unpaid", errors: [{ path: "body.items.0.amount", message: expect.stringMatching(/1400\.00/) }] });
    // Two lines of one case add up.
    expect((await createBatch([{ caseId: c.id, kind: "execution_fee", amount: "700.00" }, { caseId: c.id, kind: "execution_fee", amount: "700.01" }])).body.reason).toBe("fee_exceeds_unpaid");
    expect(await batchCount()).toBe(before);

    const first = await createBatch([{ caseId: c.id, kind: "execution_fee", amount: "1000.00" }]);
    expect(first.status).toBe(201);
    // A draft reserves nothing: a second draft may still ask for the whole fee...
    const second = await createBatch([{ caseId: c.id, kind: "execution_fee", amount: "1400.00" }]);
    expect(second.status).toBe(201);
    // ...but once the first is submitted (reserved), the second cannot be.
    expect((await act(t, s.clerk, first.body.id, "submit")).status).toBe(200);
    const late = await act(t, s.clerk, second.body.id, "submit");
    expectProblem(late, 409, "invalid_state");
    expect(late.body.reason).toBe("fee_exceeds_unpaid");
    expect((await t.db.knex("payout_batches").where({ id: second.body.id }).first()).status).toBe("draft");
    expect((await createBatch([{ caseId: c.id, kind: "execution_fee", amount: "400.01" }])).body.reason).toBe("fee_exceeds_unpaid");
    expect((await createBatch([{ caseId: c.id, kind: "execution_fee", amount: "400.00" }])).status).toBe(201);

    // 30.00 received of a 50.00 fee: money pays the fee first, so 30.00 of it can go to the fee account.
    const short = await fundedCase("5000.00", "30.00");
    const tooSoon = await createBatch([{ caseId: short.id, kind: "execution_fee", amount: "30.01" }]);
    expect(tooSoon.body).toMatchObject({ status: 409, reason: "fee_exceeds_unpaid" });
    expect(tooSoon.body.errors[0].message).toMatch(/only 30\.00 has been received/);
    expect((await createBatch([{ caseId: short.id, kind: "execution_fee", amount: "30.00" }])).status).toBe(201);
  });

  test("a court that does not charge the fee: 409 fee_not_charged; a court without a fee account: 409 no_fee_account", async () => {
    const free = await courtWithStaff(t, "EN");
    await request(t.app).patch(`/v1/courts/${free.court.id}`).set(t.admin.auth).send({ feeAccount: FEE }).expect(200);
    const c = await fundedCase("5000.00", "5000.00", free);
    const before = await batchCount();
    const refused = await createBatch([{ caseId: c.id, kind: "execution_fee", amount: "50.00" }], free);
    expectProblem(refused, 409, "invalid_state");
    expect(refused.body.reason).toBe("fee_not_charged");

    const noAccount = await courtWithStaff(t, "EA");
    await request(t.app).patch(`/v1/courts/${noAccount.court.id}`).set(t.admin.auth).send({ chargeExecutionFee: true }).expect(200);
    const d = await fundedCase("5000.00", "5050.00", noAccount);
    const missing = await createBatch([{ caseId: d.id, kind: "execution_fee", amount: "50.00" }], noAccount);
    expectProblem(missing, 409, "invalid_state");
    expect(missing.body.reason).toBe("no_fee_account");
    expect(await batchCount()).toBe(before);

    // The fee account cleared after the batch was made: submit is refused and nothing is reserved.
    await request(t.app).patch(`/v1/courts/${noAccount.court.id}`).set(t.admin.auth).send({ feeAccount: FEE }).expect(200);
    const made = await createBatch([{ caseId: d.id, kind: "execution_fee", amount: "50.00" }], noAccount);
    expect(made.status).toBe(201);
    await request(t.app).patch(`/v1/courts/${noAccount.court.id}`).set(t.admin.auth).send({ feeAccount: null }).expect(200);
    const submit = await act(t, noAccount.clerk, made.body.id, "submit");
    expectProblem(submit, 409, "invalid_state");
    expect(submit.body.reason).toBe("no_fee_account");
    expect((await t.db.knex("case_balances").where({ case_id: d.id }).first()).reserved).toBe("0.00");
  });

  test("a fee item names no party and no agent (400); any other item still needs its party (400); another court's case is refused", async () => {
    const c = await fundedCase("5000.00", "5050.00");
    const before = await batchCount();
    expectProblem(await createBatch([{ caseId: c.id, partyId: c.applicantId, kind: "execution_fee", amount: "50.00" }]), 400, "validation_failed");
    expectProblem(await createBatch([{ caseId: c.id, agentId: c.applicantId, kind: "execution_fee", amount: "50.00" }]), 400, "validation_failed");
    expectProblem(await createBatch([{ caseId: c.id, amount: "50.00" }]), 400, "validation_failed");
    expectProblem(await createBatch([{ caseId: c.id, kind: "execution_fee", amount: 50 }]), 400, "validation_failed");
    // Another court's case in this court's batch: no such case in the batch's court.
    const other = await courtWithStaff(t, "EO");
    const theirs = await fundedCase("5000.00", "5050.00", other);
    const foreign = await createBatch([{ caseId: theirs.id, kind: "execution_fee", amount: "50.00" }]);
    expectProblem(foreign, 400, "validation_failed");
    expect(foreign.body.errors[0]).toMatchObject({ path: "body.items.0.caseId" });
    // A batch for another court: 404, as every other court's resource.
    const theirCourt = await request(t.app).post("/v1/payout-batches").set(s.clerk.auth).set("Idempotency-Key", newKey()).send({ courtId: other.court.id, items: [{ caseId: theirs.id, kind: "execution_fee", amount: "50.00" }] });
    expect(theirCourt.status).toBe(404);
    expect(await batchCount()).toBe(before);
  });
});
