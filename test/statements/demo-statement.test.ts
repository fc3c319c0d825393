import request from "supertest";
import { loadConfig } from "../../api/config";
import { MoneyDecimal, type Money } from "../../api/core/money";
import { createLogger } from "../../api/logger";
import { seedDemo, type DemoSeedResult } from "../../scripts/demo/demo";
import { demoStatement } from "../../scripts/demo/demo-statement";
import { newKey } from "../helpers/factories";
import { expectBalancesEqualJournal } from "../helpers/ledger-invariants";
import { startTestApp, type TestApp } from "../helpers/test-app";

let t: TestApp;
let demo: DemoSeedResult;
beforeAll(async () => {
  t = await startTestApp();
  demo = await seedDemo({ knex: t.db.knex, config: loadConfig({ NODE_ENV: "test" }), logger: createLogger("silent") });
}, 240_000);
afterAll(() => t.close());

const as = (role: string) => ({ Authorization: `Bearer ${demo.users.find((u) => u.role === role)!.token}` });
const caseByNumber = async (n: string) => (await request(t.app).get("/v1/cases").query({ courtId: demo.courts.jh, caseNumber: n }).set(as("clerk"))).body.data[0];

test("a statement generated for the demo court imports on the demo data: receipts and unidentified funds, a claim and a refund go through, and statement, ledger and cases agree", async () => {
  const { file } = await demoStatement(t.db.knex, demo.courts.jh);
  const imported = await request(t.app).post("/v1/bank-statements").query({ courtId: demo.courts.jh, layout: "abc-account-detail" }).set(as("finance")).set("Content-Type", "text/csv").send(file);
  expect(imported.status).toBe(200);
  expect(imported.body).toMatchObject({ lines: 4, matched: 3, unidentified: 1, duplicates: 0, debits: 0 });
  const c101 = await caseByNumber("(2024)湘1129执101号");
  const c103 = await caseByNumber("(2024)湘1129执103号");
  expect(c101.virtualAccountNumber).toMatch(/^81129/);

  const rec1 = await request(t.app).get("/v1/reconciliation").query({ courtId: demo.courts.jh }).set(as("finance"));
  expect(rec1.body).toMatchObject({ difference: "0.00", statementVsLedger: "0.00", unclaimedTotal: "1234.00" });

  // The unidentified payment: the clerk finds it belongs to 执103号.
  const funds = await request(t.app).get("/v1/unidentified-funds").query({ courtId: demo.courts.jh, status: "unclaimed" }).set(as("clerk"));
  expect(funds.body.data).toHaveLength(1);
  const claim = await request(t.app).post(`/v1/unidentified-funds/${funds.body.data[0].id}/claim`).set(as("clerk")).set("Idempotency-Key", newKey()).send({ caseId: c103.id, note: "付款人来电说明" });
  expect(claim.status).toBe(200);
  expect((await request(t.app).get(`/v1/cases/${c103.id}`).set(as("clerk"))).body.balances.received).toBe("2034.50");

  // 执101号 was paid in full before: the 500.00 paid into it again is a surplus, refunded to its debtor.
  const case101 = (await request(t.app).get(`/v1/cases/${c101.id}`).set(as("clerk"))).body;
  const debtor = case101.parties.find((p: { role: string }) => p.role === "debtor");
  const batch = await request(t.app).post("/v1/payout-batches").set(as("clerk")).set("Idempotency-Key", newKey())
    .send({ courtId: demo.courts.jh, items: [{ caseId: c101.id, partyId: debtor.id, amount: "500.00", kind: "refund", refundReason: "surplus" }] });
  expect(batch.status).toBe(201);
  expect((await request(t.app).post(`/v1/payout-batches/${batch.body.id}/submit`).set(as("clerk")).set("Idempotency-Key", newKey())).status).toBe(200);
  expect((await request(t.app).post(`/v1/payout-batches/${batch.body.id}/approve`).set(as("approver")).set("Idempotency-Key", newKey())).status).toBe(200);
  const paid = await request(t.app).post(`/v1/payout-batches/${batch.body.id}/execute`).set(as("finance")).set("Idempotency-Key", newKey()).send({ paidOn: imported.body.period.to });
  expect(paid.status).toBe(200);

  const rec = await request(t.app).get("/v1/reconciliation").query({ courtId: demo.courts.jh }).set(as("finance"));
  expect(rec.body).toMatchObject({ difference: "0.00", unclaimedTotal: "0.00" });
  // The refund left the ledger's bank today and is not on the statement yet: that, and only that, explains the difference.
  expect(rec.body.statementVsLedger).toBe("500.00");
  const unclearedLedger = rec.body.unclearedLedger.reduce((sum: Money, e: { signedAmount: string }) => sum.plus(e.signedAmount), new MoneyDecimal(0));
  const unclearedStatement = rec.body.unclearedStatement.reduce((sum: Money, l: { amount: string; direction: string }) => sum.plus(l.direction === "credit" ? l.amount : `-${l.amount}`), new MoneyDecimal(0));
  expect(unclearedStatement.minus(unclearedLedger).toFixed(2)).toBe(rec.body.statementVsLedger);
  await expectBalancesEqualJournal(t.db.knex);
});
