import request from "supertest";
import { appendAuditEvents, type AuditInput } from "../../api/audit/audit-store";
import { addDays, todayInChina } from "../../api/core/dates";
import { withTransaction } from "../../db/transaction";
import { courtWithStaff, type Staff } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { fundedCase } from "../payouts/payout-helpers";

/**
 * The proposals of a court with a long audit trail (issue 15 follow-up): the court's chain is
 * walked once per proposals call, and not at all when a proposal other than `record_altered` is
 * accepted or discarded. The figures of docs/rules/inspections.md come from this file's log line.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const EVENTS = 20_000;
const today = todayInChina();

/** 20,000 events on the court's chain, appended as the runner appends them (1,000 a statement). */
async function longTrail(s: Staff): Promise<void> {
  await withTransaction(t.db.knex, async (tx) => {
    for (let done = 0; done < EVENTS; done += 1000) {
      const inputs: AuditInput[] = Array.from({ length: 1000 }, (_, k) => ({
        actorId: s.clerk.id,
        action: "case.viewed_for_test",
        entityType: "case",
        entityId: crypto.randomUUID(),
        courtId: s.court.id,
        requestId: `long-trail-${done + k}`,
        data: { n: done + k },
      }));
      await appendAuditEvents(tx, inputs);
    }
  });
}

/** Counts the reads of the audit trail (the chain walk) while `work` runs. */
async function chainReads<T>(work: () => Promise<T>): Promise<{ reads: number; ms: number; result: T }> {
  let reads = 0;
  const listener = (q: { sql: string }) => {
    if (/from "audit_events"/i.test(q.sql)) reads += 1;
  };
  t.db.knex.on("query", listener);
  const started = performance.now();
  try {
    const result = await work();
    return { reads, ms: Math.round(performance.now() - started), result };
  } finally {
    t.db.knex.off("query", listener);
  }
}

test("with 20,000 audit events in the court's chain, the proposals walk the chain once per list and not when an overdue-funds proposal is accepted or discarded", async () => {
  const s = await courtWithStaff(t, "PC");
  const first = await fundedCase(t, s, "7000.00", "2024-03-01");
  const second = await fundedCase(t, s, "3000.00", "2024-03-01");
  await longTrail(s);
  const created = await request(t.app).post("/v1/inspections").set(s.inspector.auth).send({ courtId: s.court.id, name: "巡察组进驻", from: "2024-03-01", to: today });
  expect(created.status).toBe(201);
  const id = created.body.id as string;

  const verify = await chainReads(() => request(t.app).get("/v1/audit-events/verify").query({ courtId: s.court.id }).set(s.inspector.auth));
  expect(verify.result.body).toMatchObject({ ok: true });
  const list = await chainReads(() => request(t.app).get(`/v1/inspections/${id}/proposals`).set(s.inspector.auth));
  expect(list.result.status).toBe(200);
  expect(list.result.body.data.map((p: { key: string }) => p.key).sort()).toEqual([`overdue_funds:case:${first.id}`, `overdue_funds:case:${second.id}`].sort());
  // One walk: as many reads of the trail as the verification on its own makes.
  expect(list.reads).toBeGreaterThan(0);
  expect(list.reads).toBe(verify.reads);

  const accept = await chainReads(() =>
    request(t.app).post(`/v1/inspections/${id}/proposals/accept`).set(s.inspector.auth).send({ key: `overdue_funds:case:${first.id}`, rectifyBy: addDays(today, 30) }),
  );
  expect(accept.result.status).toBe(201);
  const discard = await chainReads(() =>
    request(t.app).post(`/v1/inspections/${id}/proposals/discard`).set(s.inspector.auth).send({ key: `overdue_funds:case:${second.id}`, reason: "已于检查期间发放" }),
  );
  expect(discard.result.status).toBe(200);
  console.log(`proposals with ${EVENTS} events in the chain: verify ${verify.ms} ms, list ${list.ms} ms, accept ${accept.ms} ms, discard ${discard.ms} ms (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`);
  expect(accept.reads).toBe(0);
  expect(discard.reads).toBe(0);
  // A key of a category that does not exist is 404 without computing anything.
  const unknown = await request(t.app).post(`/v1/inspections/${id}/proposals/discard`).set(s.inspector.auth).send({ key: "no_such:thing", reason: "x" });
  expect(unknown.status).toBe(404);
}, 180_000);
