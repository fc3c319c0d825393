import request from "supertest";
import { courtWithStaff, createCase, newKey, receive } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { onRealPostgres } from "../helpers/test-db";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe("the audit trail", () => {
  test("every change is an event with actor, court, request id and what changed", async () => {
    const { court, clerk, finance, inspector } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const r = await request(t.app)
      .post(`/v1/cases/${c.id}/receipts`)
      .set(clerk.auth)
      .set("Idempotency-Key", newKey())
      .set("X-Request-Id", "req-audit-1")
      .send({ amount: "88.80", receivedOn: "2024-03-01", source: "auction" });
    await request(t.app).post(`/v1/receipts/${r.body.id}/reverse`).set(finance.auth).set("Idempotency-Key", newKey()).send({ reason: "wrong case" }).expect(200);

    const res = await request(t.app).get("/v1/audit-events").query({ entityType: "receipt", entityId: r.body.id }).set(inspector.auth);
    expect(res.status).toBe(200);
    expect(res.body.data.map((e: { action: string }) => e.action)).toEqual(["receipt.recorded", "receipt.reversed"]);
    expect(res.body.data[0]).toMatchObject({
      actorId: clerk.id,
      courtId: court.id,
      requestId: "req-audit-1",
      data: { caseId: c.id, amount: "88.80", source: "auction", disburseBy: "2024-03-31" },
    });
    expect(res.body.data[1]).toMatchObject({ actorId: finance.id, data: { reason: "wrong case" } });
    expect(res.body.data[1].prevHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test("a refused request leaves no event", async () => {
    const { court, clerk, inspector } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    await request(t.app).post(`/v1/cases/${c.id}/receipts`).set(clerk.auth).set("Idempotency-Key", newKey()).send({ amount: "-1", receivedOn: "2024-03-01", source: "auction" }).expect(400);
    const res = await request(t.app).get("/v1/audit-events").query({ courtId: court.id, entityType: "receipt" }).set(inspector.auth);
    expect(res.body.data).toEqual([]);
  });

  test("an inspector sees only her courts' events; clerks cannot read the trail", async () => {
    const a = await courtWithStaff(t);
    const b = await courtWithStaff(t);
    await createCase(t, b.clerk, b.court.id);
    const foreign = await request(t.app).get("/v1/audit-events").query({ courtId: b.court.id }).set(a.inspector.auth);
    expect(foreign.status).toBe(404);
    const mine = await request(t.app).get("/v1/audit-events").query({ limit: 500 }).set(a.inspector.auth);
    expect(mine.body.data.every((e: { courtId: string | null }) => e.courtId === null || e.courtId === a.court.id)).toBe(true);
    expect((await request(t.app).get("/v1/audit-events").set(a.clerk.auth)).status).toBe(403);
  });

  test("the chain verifies, and the audit table refuses UPDATE and DELETE", async () => {
    const { court, clerk, inspector } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    await receive(t, clerk, c.id, "5.00");
    const res = await request(t.app).get("/v1/audit-events/verify").set(inspector.auth);
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    const head = await t.db.knex("audit_head").first();
    expect(res.body).toEqual({ ok: true, events: head.seq, head: head.hash });
    await expect(t.db.knex("audit_events").where({ entity_id: c.id }).update({ action: "x" })).rejects.toThrow(/append-only/);
    await expect(t.db.knex("audit_events").where({ entity_id: c.id }).del()).rejects.toThrow(/append-only/);
  });
});

describe("tampering is detected", () => {
  // Each of these edits history behind the application's back, so each runs last in its own database.
  let tamper: TestApp;
  beforeEach(async () => {
    tamper = await startTestApp();
  });
  afterEach(async () => {
    await tamper.close();
  });

  async function withTriggerDisabled(sql: string, bindings: unknown[]) {
    await tamper.db.knex.transaction(async (tx) => {
      await tx.raw("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
      await tx.raw(sql, bindings as never[]);
      await tx.raw("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
    });
  }

  test("an edited amount in an old event: verify reports the event where the chain breaks", async () => {
    const { court, clerk, inspector } = await courtWithStaff(tamper);
    const c = await createCase(tamper, clerk, court.id);
    const r = await receive(tamper, clerk, c.id, "1000.00");
    await receive(tamper, clerk, c.id, "1.00");
    const event = await tamper.db.knex("audit_events").where({ entity_id: r.id }).first();
    await withTriggerDisabled(`UPDATE audit_events SET data = jsonb_set(data, '{amount}', '"10.00"') WHERE seq = ?`, [event.seq]);
    const res = await request(tamper.app).get("/v1/audit-events/verify").set(inspector.auth);
    expect(res.body).toMatchObject({ ok: false, brokenAt: event.seq });
  });

  test("a deleted event in the middle is detected where the gap begins", async () => {
    const { court, clerk, inspector } = await courtWithStaff(tamper);
    const c = await createCase(tamper, clerk, court.id);
    await receive(tamper, clerk, c.id, "1.00");
    await receive(tamper, clerk, c.id, "2.00");
    const all = await tamper.db.knex("audit_events").orderBy("seq").select("seq");
    const middle = all[Math.floor(all.length / 2)].seq;
    await withTriggerDisabled("DELETE FROM audit_events WHERE seq = ?", [middle]);
    const res = await request(tamper.app).get("/v1/audit-events/verify").set(inspector.auth);
    expect(res.body).toMatchObject({ ok: false, brokenAt: middle });
  });

  test("removing the newest event is detected against the chain head", async () => {
    const { court, clerk, inspector } = await courtWithStaff(tamper);
    const c = await createCase(tamper, clerk, court.id);
    await receive(tamper, clerk, c.id, "1.00");
    const last = await tamper.db.knex("audit_events").orderBy("seq", "desc").first();
    await withTriggerDisabled("DELETE FROM audit_events WHERE seq = ?", [last.seq]);
    const res = await request(tamper.app).get("/v1/audit-events/verify").set(inspector.auth);
    expect(res.body).toMatchObject({ ok: false, brokenAt: last.seq });
  });
});

(onRealPostgres ? describe : describe.skip)("concurrent writers (real PostgreSQL)", () => {
  test("forty receipts on ten cases at once still build one unbroken chain", async () => {
    const { court, clerk, inspector } = await courtWithStaff(t);
    const cases = await Promise.all(Array.from({ length: 10 }, () => createCase(t, clerk, court.id)));
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        request(t.app).post(`/v1/cases/${cases[i % 10].id}/receipts`).set(clerk.auth).set("Idempotency-Key", newKey()).send({ amount: "1.01", receivedOn: "2024-03-01", source: "voluntary" }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    const res = await request(t.app).get("/v1/audit-events/verify").set(inspector.auth);
    expect(res.body.ok).toBe(true);
    const seqs = (await t.db.knex("audit_events").orderBy("seq").select("seq")).map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});
if (!onRealPostgres) console.warn("audit-trail: the concurrent-writer test runs only on real PostgreSQL (DATABASE_URL); PGlite serialises everything");
