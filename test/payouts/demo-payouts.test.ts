import request from "supertest";
import { seedDemoPayouts } from "../../scripts/demo/demo-payouts";
import type { Actor, Role } from "../../api/core/actor";
import { courtWithStaff } from "../helpers/factories";
import { expectBalancesEqualJournal } from "../helpers/ledger-invariants";
import { startTestApp, type TestApp, type TestUser } from "../helpers/test-app";
import { expectReconciled } from "./payout-helpers";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const actor = (u: TestUser, role: Role, courtId: string): Actor => ({ id: u.id, name: u.name, roles: [role], courtIds: [courtId] });

test("the demo seed shows one payout batch in every state, and the books still balance", async () => {
  const s = await courtWithStaff(t);
  const seeded = await t.inOneTransaction((call) =>
    seedDemoPayouts(call, {
      courtId: s.court.id,
      clerk: actor(s.clerk, "clerk", s.court.id),
      approver: actor(s.approver, "approver", s.court.id),
      finance: actor(s.finance, "finance", s.court.id),
    }),
  );
  const list = await request(t.app).get("/v1/payout-batches").query({ courtId: s.court.id }).set(s.inspector.auth);
  expect(list.status).toBe(200);
  expect(list.body.data.map((b: { status: string }) => b.status).sort()).toEqual(["approved", "cancelled", "draft", "executed", "rejected", "submitted"]);
  for (const [status, id] of Object.entries(seeded.batches)) {
    const b = await request(t.app).get(`/v1/payout-batches/${id}`).set(s.inspector.auth);
    expect(b.body.status).toBe(status);
  }
  const executed = await request(t.app).get(`/v1/payout-batches/${seeded.batches.executed}`).set(s.inspector.auth);
  expect(executed.body.items.map((i: { status: string }) => i.status)).toEqual(["paid", "returned", "failed"]);
  const [a, b, c, d] = await Promise.all(seeded.caseIds.map(async (id) => (await request(t.app).get(`/v1/cases/${id}`).set(s.inspector.auth)).body.balances));
  expect(a).toMatchObject({ received: "50000.00", disbursed: "30000.00", held: "20000.00", reserved: "10000.00" });
  expect(b).toMatchObject({ disbursed: "0.00", held: "20000.00", reserved: "8000.00" });
  expect(c).toMatchObject({ disbursed: "0.00", held: "8000.00", reserved: "0.00" });
  expect(d).toMatchObject({ held: "12000.00", reserved: "6000.00" });
  const file = await request(t.app).get(`/v1/payout-batches/${seeded.batches.approved}/payment-file`).set(s.finance.auth);
  expect(file.status).toBe(200);
  await expectReconciled(t, s);
  await expectBalancesEqualJournal(t.db.knex);
});
