import request from "supertest";
import type { Actor } from "../../api/core/actor";
import { MoneyDecimal, type Money } from "../../api/core/money";
import { caseBody, courtWithStaff, newKey } from "../helpers/factories";
import { expectBalancesEqualJournal } from "../helpers/ledger-invariants";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { expectReconciled } from "./payout-helpers";

/**
 * A 10,000-item batch through the API: created, submitted, approved, paid. The timings are a
 * measurement (logged, and written down in docs/benchmarks.md), not an assertion; what is
 * asserted is that every figure is right. The cases and their receipts are made through the
 * service layer in one transaction, to keep the set-up out of the measurement.
 */
const ITEMS = 10000;
const CASES = 1000;
const ITEMS_PER_CASE = ITEMS / CASES;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function timed<T>(label: string, timings: string[], work: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  const result = await work();
  timings.push(`${label}: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
  return result;
}

test(`a ${ITEMS}-item batch over ${CASES} cases is created, submitted, approved and executed through the API`, async () => {
  const s = await courtWithStaff(t);
  const clerk: Actor = { id: s.clerk.id, name: s.clerk.name, roles: ["clerk"], courtIds: [s.court.id] };
  const timings: string[] = [`database: ${t.db.kind}`];

  const items: { caseId: string; partyId: string; amount: string }[] = [];
  let total: Money = new MoneyDecimal(0);
  await timed(`set-up: ${CASES} cases with one receipt each (operations in process, one transaction)`, timings, () =>
    t.inOneTransaction(async (call) => {
      for (let c = 0; c < CASES; c++) {
        const created = await call("createCase", clerk, { body: caseBody(s.court.id) as never });
        const applicant = created.parties.find((p) => p.role === "applicant");
        if (!applicant) throw new Error("no applicant");
        let caseTotal: Money = new MoneyDecimal(0);
        for (let k = 0; k < ITEMS_PER_CASE; k++) {
          const amount = new MoneyDecimal(100 + ((c * ITEMS_PER_CASE + k) % 997)).plus("0.37");
          items.push({ caseId: created.id, partyId: applicant.id, amount: amount.toFixed(2) });
          caseTotal = caseTotal.plus(amount);
        }
        total = total.plus(caseTotal);
        await call("createReceipt", clerk, {
          params: { id: created.id },
          body: { amount: caseTotal.plus("5.00").toFixed(2), receivedOn: "2024-03-01", source: "deduction" },
        });
      }
    }),
  );

  const body = { courtId: s.court.id, note: `${ITEMS} items`, items };
  timings.push(`request body: ${(Buffer.byteLength(JSON.stringify(body)) / 1048576).toFixed(2)} MB`);
  const created = await timed("POST /v1/payout-batches (create)", timings, () =>
    request(t.app).post("/v1/payout-batches").set(s.clerk.auth).set("Idempotency-Key", newKey()).send(body),
  );
  expect(created.status).toBe(201);
  expect(created.body.totals).toMatchObject({ items: ITEMS, cases: CASES, amount: total.toFixed(2) });
  const id: string = created.body.id;

  const submitted = await timed("POST …/submit (reserve)", timings, () => request(t.app).post(`/v1/payout-batches/${id}/submit`).set(s.clerk.auth));
  expect(submitted.status).toBe(200);
  const approvedRes = await timed("POST …/approve", timings, () => request(t.app).post(`/v1/payout-batches/${id}/approve`).set(s.approver.auth));
  expect(approvedRes.status).toBe(200);
  const file = await timed("GET …/payment-file (CSV)", timings, () => request(t.app).get(`/v1/payout-batches/${id}/payment-file`).set(s.finance.auth));
  expect(file.status).toBe(200);
  expect(file.text.split("\r\n")).toHaveLength(ITEMS + 2);
  const executedRes = await timed("POST …/execute (pay all)", timings, () =>
    request(t.app).post(`/v1/payout-batches/${id}/execute`).set(s.finance.auth).set("Idempotency-Key", newKey()).send({ paidOn: "2024-04-01" }),
  );
  expect(executedRes.status).toBe(200);
  expect(executedRes.body.totals).toMatchObject({ paid: { items: ITEMS, amount: total.toFixed(2) }, pending: { items: 0 } });
  const got = await timed("GET /v1/payout-batches/{id}", timings, () => request(t.app).get(`/v1/payout-batches/${id}`).set(s.clerk.auth));
  expect(got.body.items).toHaveLength(ITEMS);

  console.log(`Payout batch of ${ITEMS} items over ${CASES} cases:\n  ${timings.join("\n  ")}`);

  const sums = await t.db.knex("case_balances").where({ court_id: s.court.id }).select(
    t.db.knex.raw("sum(disbursed)::text AS disbursed"),
    t.db.knex.raw("sum(held)::text AS held"),
    t.db.knex.raw("sum(reserved)::text AS reserved"),
  );
  expect(sums[0]).toEqual({ disbursed: total.toFixed(2), held: new MoneyDecimal(5 * CASES).toFixed(2), reserved: "0.00" });
  expect(await t.db.knex("journal_entries").where({ court_id: s.court.id, kind: "payout" }).count("* as n")).toEqual([{ n: String(ITEMS) }]);
  await expectReconciled(t, s);
  await expectBalancesEqualJournal(t.db.knex);
}, 600000);
