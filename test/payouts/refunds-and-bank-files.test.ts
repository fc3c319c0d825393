import request from "supertest";
import { MoneyDecimal } from "../../api/core/money";
import { generateStatement } from "../../api/statements/statement-generator";
import { CCB_ACCOUNT_DETAIL } from "../../api/statements/statement-layouts";
import { caseBody, courtWithStaff, getCase, newKey, receive, type Staff } from "../helpers/factories";
import { expectBalancesEqualJournal } from "../helpers/ledger-invariants";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { fetchWorkbook } from "../helpers/xlsx";

const MASTER = { bankName: "中国农业银行江华支行", accountName: "江华瑶族自治县人民法院", accountNumber: "43050101040055555" };
let t: TestApp;
let s: Staff;

beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "REF");
  expect((await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ masterAccount: MASTER, virtualAccountPrefix: String(70000 + Math.floor(Math.random() * 9999)) })).status).toBe(200);
});
afterAll(() => t.close());
afterEach(() => expectBalancesEqualJournal(t.db.knex));

async function caseWithDebtorAccount(adjudicated: string) {
  const body = caseBody(s.court.id, { adjudicatedAmount: adjudicated });
  body.debtors = [{ name: "被执行人甲", kind: "person", idNumber: "431129197505052345", bankAccount: { bankName: "中国建设银行江华支行", accountName: "被执行人甲", accountNumber: "6217000012345678901" } } as never];
  const res = await request(t.app).post("/v1/cases").set(s.clerk.auth).send(body);
  expect(res.status).toBe(201);
  return res.body as { id: string; parties: { id: string; role: string }[] };
}

const createBatch = (items: Record<string, unknown>[]) => request(t.app).post("/v1/payout-batches").set(s.clerk.auth).set("Idempotency-Key", newKey()).send({ courtId: s.court.id, items });

async function payThrough(batchId: string) {
  expect((await request(t.app).post(`/v1/payout-batches/${batchId}/submit`).set(s.clerk.auth).set("Idempotency-Key", newKey())).status).toBe(200);
  expect((await request(t.app).post(`/v1/payout-batches/${batchId}/approve`).set(s.approver.auth).set("Idempotency-Key", newKey())).status).toBe(200);
}

describe("退款: a refund pays back only what the case does not owe its applicants", () => {
  test("a surplus refunded to the debtor lets the case close; asking for more than the surplus is 409 and nothing is made", async () => {
    const c = await caseWithDebtorAccount("100.00");
    await receive(t, s.finance, c.id, "300.00");
    const applicant = c.parties.find((p) => p.role === "applicant")!;
    const debtor = c.parties.find((p) => p.role === "debtor")!;
    const before = (await t.db.knex("payout_batches").count<{ n: string }[]>("* as n"))[0].n;
    const tooMuch = await createBatch([{ caseId: c.id, partyId: debtor.id, amount: "200.01", kind: "refund", refundReason: "surplus" }]);
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe("insufficient_funds");
    expect(tooMuch.body.cases[0]).toMatchObject({ caseId: c.id, available: "200.00", requested: "200.01" });
    expect((await t.db.knex("payout_batches").count<{ n: string }[]>("* as n"))[0].n).toBe(before);
    expect((await createBatch([{ caseId: c.id, partyId: applicant.id, amount: "5.00", kind: "refund", refundReason: "surplus" }])).body.errors[0].message).toMatch(/debtor/);
    expect((await createBatch([{ caseId: c.id, partyId: debtor.id, amount: "5.00", kind: "refund" }])).status).toBe(400);

    const batch = await createBatch([
      { caseId: c.id, partyId: applicant.id, amount: "100.00" },
      { caseId: c.id, partyId: debtor.id, amount: "200.00", kind: "refund", refundReason: "surplus" },
    ]);
    expect(batch.status).toBe(201);
    expect(batch.body.items.map((i: { kind: string; refundReason: string | null }) => [i.kind, i.refundReason])).toEqual([
      ["applicant", null],
      ["refund", "surplus"],
    ]);
    await payThrough(batch.body.id);
    const executed = await request(t.app).post(`/v1/payout-batches/${batch.body.id}/execute`).set(s.finance.auth).set("Idempotency-Key", newKey()).send({ paidOn: "2024-03-10" });
    expect(executed.status).toBe(200);
    expect((await getCase(t, s.clerk, c.id)).balances.held).toBe("0.00");
    const closed = await request(t.app).post(`/v1/cases/${c.id}/close`).set(s.clerk.auth).send({ closureType: "fully_performed", closedOn: "2024-03-10" });
    expect(closed.status).toBe(200);
  });
});

describe("the batch-transfer file in the bank's layout, and the bank's debits matched back", () => {
  test("XLSX keeps 19-digit account numbers as text with the control totals; CSV guards them; the statement's debits match the paid items", async () => {
    const c = await caseWithDebtorAccount("500.00");
    await receive(t, s.finance, c.id, "500.00", "2024-03-01");
    const applicant = c.parties.find((p) => p.role === "applicant")!;
    const batch = await createBatch([{ caseId: c.id, partyId: applicant.id, amount: "500.00" }]);
    await payThrough(batch.body.id);

    const x = await fetchWorkbook(request(t.app).get(`/v1/payout-batches/${batch.body.id}/batch-transfer-file`).set(s.finance.auth));
    expect(x.status).toBe(200);
    const sheet = x.workbook.getWorksheet("批量支付")!;
    expect(sheet.getRow(2).getCell(4).value).toBe(500); // 总金额
    expect(sheet.getRow(2).getCell(5).value).toBe("1"); // 总笔数
    const payee = sheet.getRow(5).getCell(10).value;
    expect(payee).toBe("6228480123456789012");
    const csv = await request(t.app).get(`/v1/payout-batches/${batch.body.id}/batch-transfer-file`).query({ format: "csv" }).set(s.finance.auth);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('"=""6228480123456789012"""');
    expect(await t.db.knex("audit_events").where({ entity_id: batch.body.id, action: "payout_batch.batch_transfer_file_downloaded" })).toHaveLength(2);

    expect((await request(t.app).post(`/v1/payout-batches/${batch.body.id}/execute`).set(s.finance.auth).set("Idempotency-Key", newKey()).send({ paidOn: "2024-03-11" })).status).toBe(200);
    const reference = `CEF-${batch.body.id.slice(0, 8)}-1`;
    const file = await generateStatement(
      {
        layout: CCB_ACCOUNT_DETAIL,
        account: { number: MASTER.accountNumber, name: MASTER.accountName },
        openingBalance: new MoneyDecimal("500.00"),
        lines: [{ valueDate: "2024-03-11", direction: "debit", amount: new MoneyDecimal("500.00"), remark: `代发 ${reference}`, bankReference: `D${Date.now()}` }],
      },
      { kind: "csv" },
    );
    const imported = await request(t.app).post("/v1/bank-statements").query({ courtId: s.court.id, layout: "ccb-account-detail" }).set(s.finance.auth).set("Content-Type", "text/csv").send(file);
    expect(imported.body).toMatchObject({ debits: 1, debitsMatched: 1 });
    const lines = await request(t.app).get(`/v1/bank-statements/${imported.body.statementId}/lines`).set(s.finance.auth);
    expect(lines.body.data[0]).toMatchObject({ outcome: "payout", payoutItemId: batch.body.items[0].id });
    const rec = await request(t.app).get("/v1/reconciliation").query({ courtId: s.court.id, asOf: "2024-03-11" }).set(s.finance.auth);
    expect(rec.body.unclearedStatement).toEqual([]);
    expect(rec.body.unclearedLedger.some((e: { kind: string }) => e.kind === "payout")).toBe(false);
  });
});

describe("a refund is not money disbursed to the applicants", () => {
  test("the disbursement report counts the applicant's payout and leaves out the refund to the debtor paid in the same batch", async () => {
    const c = await caseWithDebtorAccount("100.00");
    await receive(t, s.finance, c.id, "300.00", "2024-05-02");
    const applicant = c.parties.find((p) => p.role === "applicant")!;
    const debtor = c.parties.find((p) => p.role === "debtor")!;
    const batch = await createBatch([
      { caseId: c.id, partyId: applicant.id, amount: "100.00" },
      { caseId: c.id, partyId: debtor.id, amount: "200.00", kind: "refund", refundReason: "surplus" },
    ]);
    expect(batch.status).toBe(201);
    await payThrough(batch.body.id);
    const executed = await request(t.app).post(`/v1/payout-batches/${batch.body.id}/execute`).set(s.finance.auth).set("Idempotency-Key", newKey()).send({ paidOn: "2024-05-20" });
    expect(executed.status).toBe(200);
    const report = await request(t.app).get("/v1/reports/disbursements").query({ courtId: s.court.id, from: "2024-05-20", to: "2024-05-20" }).set(s.inspector.auth);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ cases: 1, payouts: 1, total: "100.00" });
  });
});
