import request from "supertest";
import { MoneyDecimal } from "../../api/core/money";
import { courtWithStaff, createCase, getCase, newKey, postReceipt, receive } from "../helpers/factories";
import { expectBalancesEqualJournal } from "../helpers/ledger-invariants";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { onRealPostgres } from "../helpers/test-db";

if (!onRealPostgres) console.warn("concurrency tests run only on real PostgreSQL (set DATABASE_URL): PGlite serialises every request");

(onRealPostgres ? describe : describe.skip)("two clerks racing on one case (real PostgreSQL)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(async () => {
    await expectBalancesEqualJournal(t.db.knex);
  });

  test("receipts and reversals racing on one case leave the balance equal to the journal", async () => {
    const { court, clerk, finance } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id, { adjudicatedAmount: "1000.00" });
    const early = [];
    for (let i = 0; i < 6; i++) early.push(await receive(t, clerk, c.id, "10.10"));
    const racing = [
      ...Array.from({ length: 24 }, (_, i) => postReceipt(t, i % 2 ? clerk : finance, c.id, { amount: "3.33", receivedOn: "2024-03-02", source: "voluntary" })),
      ...early.map((r) => request(t.app).post(`/v1/receipts/${r.id}/reverse`).set(finance.auth).set("Idempotency-Key", newKey()).send({ reason: "race" })),
    ];
    const results = await Promise.all(racing);
    expect(results.map((r) => r.status).sort()).toEqual([...Array(24).fill(201), ...Array(6).fill(200)].sort());
    const expected = new MoneyDecimal("3.33").times(24);
    const after = await getCase(t, clerk, c.id);
    expect(after.balances.held).toBe(expected.toFixed(2));
    expect(after.balances.received).toBe(expected.toFixed(2));
  });

  test("the same receipt reversed five times at once is reversed exactly once", async () => {
    const { court, clerk, finance } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const r = await receive(t, clerk, c.id, "50.00");
    const results = await Promise.all(
      Array.from({ length: 5 }, () => request(t.app).post(`/v1/receipts/${r.id}/reverse`).set(finance.auth).set("Idempotency-Key", newKey()).send({ reason: "dup" })),
    );
    expect(results.filter((x) => x.status === 200)).toHaveLength(1);
    expect(results.filter((x) => x.status === 409).every((x) => x.body.code === "invalid_state")).toBe(true);
    expect((await getCase(t, clerk, c.id)).balances.held).toBe("0.00");
  });

  test("one request sent five times at once with one key records one receipt", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const key = newKey();
    const body = { amount: "77.00", receivedOn: "2024-03-01", source: "voluntary" };
    const results = await Promise.all(Array.from({ length: 5 }, () => postReceipt(t, clerk, c.id, body, key)));
    for (const res of results) {
      expect([201, 409]).toContain(res.status);
      if (res.status === 409) expect(res.body.code).toBe("idempotency_key_in_flight");
    }
    expect(results.some((r) => r.status === 201)).toBe(true);
    expect(await t.db.knex("receipts").where({ case_id: c.id })).toHaveLength(1);
    const replay = await postReceipt(t, clerk, c.id, body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
  });

  test("a close racing a receipt never leaves money in a closed case", async () => {
    const { court, clerk } = await courtWithStaff(t);
    for (let round = 0; round < 5; round++) {
      const c = await createCase(t, clerk, court.id);
      const [receipt, close] = await Promise.all([
        postReceipt(t, clerk, c.id, { amount: "9.00", receivedOn: "2024-03-01", source: "voluntary" }),
        request(t.app).post(`/v1/cases/${c.id}/close`).set(clerk.auth).send({ closureType: "withdrawn", closedOn: "2024-03-01" }),
      ]);
      const after = await getCase(t, clerk, c.id);
      if (after.status === "closed") {
        expect(after.balances.held).toBe("0.00");
        expect(receipt.status).toBe(409);
      } else {
        expect(receipt.status).toBe(201);
        expect(close.status).toBe(409);
      }
    }
  });
});
