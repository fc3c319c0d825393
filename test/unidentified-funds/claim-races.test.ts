import request from "supertest";
import { MoneyDecimal } from "../../api/core/money";
import { generateStatement } from "../../api/statements/statement-generator";
import { CCB_ACCOUNT_DETAIL } from "../../api/statements/statement-layouts";
import { courtWithStaff, createCase, getCase, newKey } from "../helpers/factories";
import { expectBalancesEqualJournal } from "../helpers/ledger-invariants";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { onRealPostgres } from "../helpers/test-db";

if (!onRealPostgres) console.warn("concurrency tests run only on real PostgreSQL (set DATABASE_URL): PGlite serialises every request");

const MASTER = { bankName: "中国建设银行江华支行", accountName: "江华瑶族自治县人民法院", accountNumber: "43050101040077777" };

(onRealPostgres ? describe : describe.skip)("claims racing for one unidentified payment (real PostgreSQL)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  afterEach(() => expectBalancesEqualJournal(t.db.knex));

  test("two finance officers claim the same payment for two cases at once: one wins, the other is 409, the money is in one case only", async () => {
    const s = await courtWithStaff(t, "RACE");
    const finance2 = await t.user(["finance"], [s.court.id]);
    const patch = await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ masterAccount: MASTER, virtualAccountPrefix: String(60000 + Math.floor(Math.random() * 9999)) });
    expect(patch.status).toBe(200);
    const [a, b] = [await createCase(t, s.clerk, s.court.id), await createCase(t, s.clerk, s.court.id)];
    const file = await generateStatement(
      { layout: CCB_ACCOUNT_DETAIL, account: { number: MASTER.accountNumber, name: MASTER.accountName }, openingBalance: new MoneyDecimal("0"), lines: [{ valueDate: "2024-05-06", direction: "credit", amount: new MoneyDecimal("4321.00"), remark: "无附言", bankReference: `RACE${Date.now()}` }] },
      { kind: "csv" },
    );
    const imported = await request(t.app).post("/v1/bank-statements").query({ courtId: s.court.id, layout: "ccb-account-detail" }).set(s.finance.auth).set("Content-Type", "text/csv").send(file);
    expect(imported.body.unidentified).toBe(1);
    const lines = await request(t.app).get(`/v1/bank-statements/${imported.body.statementId}/lines`).set(s.finance.auth);
    const fundId = lines.body.data[0].unidentifiedFundId;

    for (let round = 0; round < 3 && fundId; round++) {
      const results = await Promise.all([
        request(t.app).post(`/v1/unidentified-funds/${fundId}/claim`).set(s.finance.auth).set("Idempotency-Key", newKey()).send({ caseId: a.id, note: "甲认领" }),
        request(t.app).post(`/v1/unidentified-funds/${fundId}/claim`).set(finance2.auth).set("Idempotency-Key", newKey()).send({ caseId: b.id, note: "乙认领" }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual(round === 0 ? [200, 409] : [409, 409]);
    }
    const held = [(await getCase(t, s.clerk, a.id)).balances.held, (await getCase(t, s.clerk, b.id)).balances.held].sort();
    expect(held).toEqual(["0.00", "4321.00"]);
    const receipts = await t.db.knex("receipts").whereIn("case_id", [a.id, b.id]);
    expect(receipts).toHaveLength(1);
    const claims = await t.db.knex("audit_events").where({ entity_id: fundId, action: "unidentified_fund.claimed" });
    expect(claims).toHaveLength(1);
  });
});
