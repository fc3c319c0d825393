import request from "supertest";
import { courtWithStaff, createCase, getCase, newKey, postReceipt, receive, type Staff } from "../helpers/factories";
import { expectBalancesEqualJournal } from "../helpers/ledger-invariants";
import { startTestApp, type TestApp } from "../helpers/test-app";

let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "TRF");
});
afterAll(() => t.close());
afterEach(() => expectBalancesEqualJournal(t.db.knex));

const transfer = (receiptId: string, body: Record<string, unknown>, user = s.finance) =>
  request(t.app).post(`/v1/receipts/${receiptId}/transfer`).set(user.auth).set("Idempotency-Key", newKey()).send(body);
const approve = (id: string, user = s.approver) => request(t.app).post(`/v1/receipt-transfers/${id}/approve`).set(user.auth).set("Idempotency-Key", newKey());

describe("调账: a receipt credited to the wrong case moves to the right one", () => {
  test("finance asks, a second person approves: the money moves with its arrival day and deadline, as a pair of entries", async () => {
    const [wrong, right] = [await createCase(t, s.clerk, s.court.id), await createCase(t, s.clerk, s.court.id)];
    const r = await receive(t, s.finance, wrong.id, "1500.00", "2024-03-05");
    const asked = await transfer(r.id, { toCaseId: right.id, reason: "付款人附言写错案号" });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ status: "pending", fromCaseId: wrong.id, toCaseId: right.id, amount: "1500.00" });
    expect((await getCase(t, s.clerk, wrong.id)).balances.held).toBe("1500.00"); // nothing moves before approval

    const approved = await approve(asked.body.id);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe("approved");
    expect((await getCase(t, s.clerk, wrong.id)).balances.held).toBe("0.00");
    expect((await getCase(t, s.clerk, right.id)).balances.held).toBe("1500.00");
    const moved = await request(t.app).get(`/v1/receipts/${approved.body.newReceiptId}`).set(s.finance.auth);
    expect(moved.body).toMatchObject({ caseId: right.id, receivedOn: "2024-03-05", disburseBy: "2024-04-04", amount: "1500.00" });
    const entries = await t.db.knex("journal_entries").whereIn("case_id", [wrong.id, right.id]).orderBy("seq");
    expect(entries.map((e) => e.kind)).toEqual(["receipt", "receipt_reversal", "receipt"]);
    const event = await t.db.knex("audit_events").where({ entity_id: asked.body.id, action: "receipt_transfer.approved" }).first();
    expect(event.data).toMatchObject({ before: { status: "pending" }, after: { status: "approved" }, newReceiptId: approved.body.newReceiptId });
  });

  test("the requester cannot approve her own transfer; another court's case is 404; a second transfer of one receipt is refused", async () => {
    const [a, b] = [await createCase(t, s.clerk, s.court.id), await createCase(t, s.clerk, s.court.id)];
    const r = await receive(t, s.finance, a.id, "10.00");
    const other = await courtWithStaff(t, "O");
    const foreign = await createCase(t, other.clerk, other.court.id);
    expect((await transfer(r.id, { toCaseId: foreign.id, reason: "x" })).status).toBe(404);
    const asked = await transfer(r.id, { toCaseId: b.id, reason: "x" });
    expect((await transfer(r.id, { toCaseId: b.id, reason: "again" })).status).toBe(409);
    const financeApprover = await t.user(["finance", "approver"], [s.court.id]);
    const own = await transfer((await receive(t, financeApprover, a.id, "5.00")).id, { toCaseId: b.id, reason: "mine" }, financeApprover);
    const self = await approve(own.body.id, financeApprover);
    expect(self.status).toBe(403);
    expect(self.body.code).toBe("same_person");
    const rejected = await request(t.app).post(`/v1/receipt-transfers/${asked.body.id}/reject`).set(s.approver.auth).send({ reason: "案号无误" });
    expect(rejected.body).toMatchObject({ status: "rejected", rejectReason: "案号无误" });
  });

  test("a transfer that would overdraw (money reserved for a batch) is 409 insufficient_funds and nothing moves", async () => {
    const [a, b] = [await createCase(t, s.clerk, s.court.id), await createCase(t, s.clerk, s.court.id)];
    const r = await receive(t, s.finance, a.id, "100.00");
    const applicant = a.parties.find((p) => p.role === "applicant")!;
    const batch = await request(t.app).post("/v1/payout-batches").set(s.clerk.auth).set("Idempotency-Key", newKey()).send({ courtId: s.court.id, items: [{ caseId: a.id, partyId: applicant.id, amount: "60.00" }] });
    expect(batch.status).toBe(201);
    expect((await request(t.app).post(`/v1/payout-batches/${batch.body.id}/submit`).set(s.clerk.auth).set("Idempotency-Key", newKey())).status).toBe(200);
    const asked = await transfer(r.id, { toCaseId: b.id, reason: "错案" });
    const res = await approve(asked.body.id);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("insufficient_funds");
    expect((await getCase(t, s.clerk, a.id)).balances.held).toBe("100.00");
    expect((await getCase(t, s.clerk, b.id)).balances.held).toBe("0.00");
  });
});

describe("cash (款物规定): two officers present, handed to finance by the next working day", () => {
  test("cash without two distinct witnesses of the court, or without the hand-over day, is refused", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    const base = { amount: "200.00", receivedOn: "2024-03-04", source: "cash" };
    expect((await postReceipt(t, s.clerk, c.id, base)).status).toBe(400);
    expect((await postReceipt(t, s.clerk, c.id, { ...base, witnessIds: [s.clerk.id, s.clerk.id], handedOverOn: "2024-03-04" })).status).toBe(400);
    const outsider = await t.user(["clerk"], [(await t.court("Z")).id]);
    const foreign = await postReceipt(t, s.clerk, c.id, { ...base, witnessIds: [s.clerk.id, outsider.id], handedOverOn: "2024-03-04" });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0].path).toBe("body.witnessIds");
    expect((await postReceipt(t, s.clerk, c.id, { ...base, source: "voluntary", handedOverOn: "2024-03-04" })).status).toBe(400);
  });

  test("cash handed over two working days late shows as late in finance's day; on time does not", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    // 2024-03-08 is a Friday: the next working day is Monday 03-11.
    const onTime = await postReceipt(t, s.clerk, c.id, { amount: "200.00", receivedOn: "2024-03-08", source: "cash", witnessIds: [s.clerk.id, s.officer.id], handedOverOn: "2024-03-11" });
    expect(onTime.status).toBe(201);
    expect(onTime.body).toMatchObject({ handoverLate: false, witnessIds: [s.clerk.id, s.officer.id], handedOverOn: "2024-03-11" });
    const late = await postReceipt(t, s.clerk, c.id, { amount: "300.00", receivedOn: "2024-03-08", source: "cash", witnessIds: [s.clerk.id, s.officer.id], handedOverOn: "2024-03-12" });
    expect(late.body.handoverLate).toBe(true);
    const day = await request(t.app).get("/v1/receipts").query({ courtId: s.court.id, from: "2024-03-08", to: "2024-03-08", source: "cash" }).set(s.finance.auth);
    expect(day.status).toBe(200);
    expect(day.body.data.map((r: { amount: string; handoverLate: boolean }) => [r.amount, r.handoverLate])).toEqual([
      ["200.00", false],
      ["300.00", true],
    ]);
  });
});

describe("GET /v1/receipts: finance's day, paged", () => {
  test("a court's receipts in the order they arrived, filtered by day, paged by cursor; another court is 404", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    for (const day of ["2024-02-01", "2024-02-02", "2024-02-02", "2024-02-03"]) await receive(t, s.finance, c.id, "1.00", day);
    const first = await request(t.app).get("/v1/receipts").query({ courtId: s.court.id, from: "2024-02-01", to: "2024-02-02", limit: "2" }).set(s.finance.auth);
    expect(first.body.data).toHaveLength(2);
    const second = await request(t.app).get("/v1/receipts").query({ courtId: s.court.id, from: "2024-02-01", to: "2024-02-02", limit: "2", cursor: first.body.nextCursor }).set(s.finance.auth);
    expect(second.body.data.map((r: { receivedOn: string }) => r.receivedOn)).toEqual(["2024-02-02"]);
    expect(second.body.nextCursor).toBeNull();
    const other = await courtWithStaff(t, "Q");
    expect((await request(t.app).get("/v1/receipts").query({ courtId: s.court.id }).set(other.finance.auth)).status).toBe(404);
  });
});
