import request from "supertest";
import { courtWithStaff, getCase } from "../helpers/factories";
import { expectBalancesEqualJournal } from "../helpers/ledger-invariants";
import { onRealPostgres } from "../helpers/test-db";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { MoneyDecimal } from "../../api/core/money";
import { act, approved, draft, execute, expectReconciled, fundedCase, item, returnItem } from "./payout-helpers";

/**
 * Concurrency proves nothing on PGlite, which has one session and runs every transaction one
 * after the other: these tests run on real PostgreSQL only (`npm run test:pg`).
 */
const describeOnPostgres = onRealPostgres ? describe : describe.skip;
if (!onRealPostgres) {
  console.warn("test/payouts/races.test.ts: SKIPPED — racing transactions need real PostgreSQL; run `npm run test:pg -- test/payouts`.");
}

let t: TestApp;
beforeAll(async () => {
  if (onRealPostgres) t = await startTestApp();
});
afterAll(async () => {
  if (!onRealPostgres) return;
  await expectBalancesEqualJournal(t.db.knex);
  await t.close();
});

const statuses = (responses: request.Response[]) => responses.map((r) => r.status).sort();

describeOnPostgres("racing payouts on real PostgreSQL", () => {
  test("ten batches each asking 60% of one case's money, submitted at once: exactly one is submitted, nine get insufficient_funds", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "1000.00");
    const batches = [];
    for (let i = 0; i < 10; i++) batches.push(await draft(t, s, [item(c, "600.00")]));
    const results = await Promise.all(batches.map((b) => act(t, s.clerk, b.id, "submit")));
    expect(statuses(results)).toEqual([200, ...Array(9).fill(409)]);
    for (const r of results.filter((r) => r.status === 409)) {
      expect(r.body.code).toBe("insufficient_funds");
      expect(r.body.cases).toEqual([{ caseId: c.id, available: "400.00", requested: "600.00" }]);
    }
    expect((await getCase(t, s.clerk, c.id)).balances).toMatchObject({ held: "1000.00", reserved: "600.00", available: "400.00" });
    const submitted = await t.db.knex("payout_batches").where({ court_id: s.court.id, status: "submitted" });
    expect(submitted).toHaveLength(1);
    await expectBalancesEqualJournal(t.db.knex);
  });

  test("batches over overlapping cases submitted at once never deadlock and never over-reserve", async () => {
    const s = await courtWithStaff(t);
    const cases = [];
    for (let i = 0; i < 5; i++) cases.push(await fundedCase(t, s, "100.00"));
    // Each batch takes 30.00 from every case, listed in a different order: at most 3 fit per case.
    const batches = [];
    for (let i = 0; i < 8; i++) {
      const order = [...cases].sort(() => Math.random() - 0.5);
      batches.push(await draft(t, s, order.map((c) => item(c, "30.00"))));
    }
    const results = await Promise.all(batches.map((b) => act(t, s.clerk, b.id, "submit")));
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === "insufficient_funds")).toBe(true);
    for (const c of cases) expect((await getCase(t, s.clerk, c.id)).balances.reserved).toBe("90.00");
  });

  test("execute races cancel: each batch ends either executed or cancelled, never half of each, and the money matches", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "1000.00");
    const batches = [];
    for (let i = 0; i < 10; i++) {
      const b = await draft(t, s, [item(c, "10.00"), item(c, "20.00")]);
      await act(t, s.clerk, b.id, "submit").expect(200);
      batches.push(b);
    }
    const outcomes = await Promise.all(
      batches.map(async (b) => {
        const approveThenExecute = (async () => {
          const a = await act(t, s.approver, b.id, "approve");
          return a.status === 200 ? execute(t, s.finance, b.id, { paidOn: "2024-04-01" }) : a;
        })();
        const [payment, cancel] = await Promise.all([approveThenExecute, act(t, s.clerk, b.id, "cancel")]);
        return { id: b.id, payment, cancel };
      }),
    );
    let paid = new MoneyDecimal(0);
    for (const o of outcomes) {
      expect([o.payment.status, o.cancel.status].sort()).toEqual([200, 409]);
      const loser = o.payment.status === 200 ? o.cancel : o.payment;
      expect(loser.body.code).toBe("invalid_state");
      const stored = await t.db.knex("payout_batches").where({ id: o.id }).first();
      const entries = await t.db.knex("journal_entries").whereIn("payout_item_id", t.db.knex("payout_items").select("id").where({ batch_id: o.id }));
      if (o.payment.status === 200) {
        expect(stored.status).toBe("executed");
        expect(entries).toHaveLength(2);
        paid = paid.plus("30.00");
      } else {
        expect(stored.status).toBe("cancelled");
        expect(entries).toHaveLength(0);
      }
    }
    expect((await getCase(t, s.clerk, c.id)).balances).toMatchObject({ disbursed: paid.toFixed(2), held: new MoneyDecimal("1000.00").minus(paid).toFixed(2), reserved: "0.00" });
    await expectReconciled(t, s);
  });

  test("an approved batch executed and cancelled at the same moment: executed once, the cancel is invalid_state", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const b = await approved(t, s, [item(c, "100.00")]);
    const [exec, cancel] = await Promise.all([execute(t, s.finance, b.id, { paidOn: "2024-04-01" }), act(t, s.clerk, b.id, "cancel")]);
    expect(exec.status).toBe(200);
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe("invalid_state");
    expect((await getCase(t, s.clerk, c.id)).balances).toMatchObject({ disbursed: "100.00", held: "0.00", reserved: "0.00" });
  });

  test("two finance officers execute the same batch at once with different keys: it is paid exactly once", async () => {
    const s = await courtWithStaff(t);
    const other = await t.user(["finance"], [s.court.id]);
    const c = await fundedCase(t, s, "100.00");
    const b = await approved(t, s, [item(c, "60.00"), item(c, "40.00")]);
    const results = await Promise.all([execute(t, s.finance, b.id, { paidOn: "2024-04-01" }), execute(t, other, b.id, { paidOn: "2024-04-02" })]);
    expect(statuses(results)).toEqual([200, 409]);
    expect(await t.db.knex("journal_entries").where({ case_id: c.id, kind: "payout" })).toHaveLength(2);
    expect((await getCase(t, s.clerk, c.id)).balances).toMatchObject({ disbursed: "100.00", held: "0.00" });
  });

  test("the same item returned twice at once: the money comes back once", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const b = await approved(t, s, [item(c, "100.00")]);
    await execute(t, s.finance, b.id, { paidOn: "2024-04-01" }).expect(200);
    const body = { returnedOn: "2024-04-02", reason: "退汇" };
    const results = await Promise.all([returnItem(t, s.finance, b.id, b.items[0].id, body), returnItem(t, s.finance, b.id, b.items[0].id, body)]);
    expect(statuses(results)).toEqual([200, 409]);
    expect((await getCase(t, s.clerk, c.id)).balances).toMatchObject({ disbursed: "0.00", held: "100.00" });
    await expectReconciled(t, s);
  });
});
