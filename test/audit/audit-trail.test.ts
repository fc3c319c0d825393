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
    const mine = await t.db.knex("audit_heads").where({ chain: court.id }).first();
    expect(res.body).toMatchObject({ ok: true });
    expect(res.body.chains).toContainEqual({ chain: court.id, courtId: court.id, events: mine.seq, head: mine.hash });
    const own = await request(t.app).get("/v1/audit-events/verify").query({ courtId: court.id }).set(inspector.auth);
    expect(own.body).toEqual({ ok: true, events: mine.seq, head: mine.hash, chains: [{ chain: court.id, courtId: court.id, events: mine.seq, head: mine.hash }] });
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
    expect(res.body).toMatchObject({ ok: false, chain: court.id, brokenAt: event.chain_seq, seq: event.seq });
  });

  test("a deleted event in the middle is detected where the gap begins", async () => {
    const { court, clerk, inspector } = await courtWithStaff(tamper);
    const c = await createCase(tamper, clerk, court.id);
    await receive(tamper, clerk, c.id, "1.00");
    await receive(tamper, clerk, c.id, "2.00");
    const all = await tamper.db.knex("audit_events").where({ chain: court.id }).orderBy("chain_seq").select("seq", "chain_seq");
    const middle = all[Math.floor(all.length / 2)];
    const next = all[Math.floor(all.length / 2) + 1];
    await withTriggerDisabled("DELETE FROM audit_events WHERE seq = ?", [middle.seq]);
    const res = await request(tamper.app).get("/v1/audit-events/verify").set(inspector.auth);
    expect(res.body).toMatchObject({ ok: false, chain: court.id, brokenAt: middle.chain_seq, seq: next.seq });
  });

  test("removing the newest event is detected against the chain head", async () => {
    const { court, clerk, inspector } = await courtWithStaff(tamper);
    const c = await createCase(tamper, clerk, court.id);
    await receive(tamper, clerk, c.id, "1.00");
    const last = await tamper.db.knex("audit_events").where({ chain: court.id }).orderBy("chain_seq", "desc").first();
    await withTriggerDisabled("DELETE FROM audit_events WHERE seq = ?", [last.seq]);
    const res = await request(tamper.app).get("/v1/audit-events/verify").set(inspector.auth);
    expect(res.body).toMatchObject({ ok: false, chain: court.id, brokenAt: last.chain_seq });
    expect(res.body.seq).toBeUndefined();
  });

  test("a court's chain verifies on its own: tampering in one court breaks that court's chain, not another's", async () => {
    const a = await courtWithStaff(tamper);
    const b = await courtWithStaff(tamper);
    await receive(tamper, a.clerk, (await createCase(tamper, a.clerk, a.court.id)).id, "3.00");
    const rb = await receive(tamper, b.clerk, (await createCase(tamper, b.clerk, b.court.id)).id, "4.00");
    const event = await tamper.db.knex("audit_events").where({ entity_id: rb.id }).first();
    await withTriggerDisabled(`UPDATE audit_events SET data = jsonb_set(data, '{amount}', '"40.00"') WHERE seq = ?`, [event.seq]);
    const ownA = await request(tamper.app).get("/v1/audit-events/verify").query({ courtId: a.court.id }).set(a.inspector.auth);
    expect(ownA.body).toMatchObject({ ok: true });
    const ownB = await request(tamper.app).get("/v1/audit-events/verify").query({ courtId: b.court.id }).set(b.inspector.auth);
    expect(ownB.body).toMatchObject({ ok: false, chain: b.court.id, brokenAt: event.chain_seq });
    // An inspector of court A does not verify court B's chain, by name or in her overall check.
    expect((await request(tamper.app).get("/v1/audit-events/verify").query({ courtId: b.court.id }).set(a.inspector.auth)).status).toBe(404);
    expect((await request(tamper.app).get("/v1/audit-events/verify").set(a.inspector.auth)).body).toMatchObject({ ok: true });
    expect((await request(tamper.app).get("/v1/audit-events/verify").set(tamper.admin.auth)).body).toMatchObject({ ok: false, chain: b.court.id });
  });

  test("the v1 head no longer moves, and events of a chain without a head are caught", async () => {
    const { court, clerk, inspector } = await courtWithStaff(tamper);
    await createCase(tamper, clerk, court.id);
    await expect(tamper.db.knex("audit_head").update({ seq: 5 })).rejects.toThrow(/append-only|refuse/i);
    const head = await tamper.db.knex("audit_heads").where({ chain: court.id }).first();
    const forged = "0123456789abcdef0123456789abcdef0123";
    await tamper.db.knex.raw(
      `INSERT INTO audit_events (seq, at, action, entity_type, entity_id, data, chain, chain_seq, prev_hash, hash)
       VALUES (nextval('audit_events_seq'), now(), 'x.y', 'case', 'x', '{}', ?, 1, ?, ?)`,
      [forged.slice(0, 8) + "-" + forged.slice(8, 12) + "-" + forged.slice(12, 16) + "-" + forged.slice(16, 20) + "-" + forged.slice(20, 32), head.hash, head.hash],
    );
    const res = await request(tamper.app).get("/v1/audit-events/verify").set(tamper.admin.auth);
    expect(res.body).toMatchObject({ ok: false, brokenAt: "1" });
    void inspector;
  });
});

(onRealPostgres ? describe : describe.skip)("concurrent writers (real PostgreSQL)", () => {
  test("forty receipts on ten cases of two courts at once build two unbroken chains", async () => {
    const courts = [await courtWithStaff(t), await courtWithStaff(t)];
    const cases = await Promise.all(Array.from({ length: 10 }, (_, i) => createCase(t, courts[i % 2].clerk, courts[i % 2].court.id)));
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        request(t.app)
          .post(`/v1/cases/${cases[i % 10].id}/receipts`)
          .set(courts[i % 2].clerk.auth)
          .set("Idempotency-Key", newKey())
          .send({ amount: "1.01", receivedOn: "2024-03-01", source: "voluntary" }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    for (const { court, inspector } of courts) {
      const res = await request(t.app).get("/v1/audit-events/verify").query({ courtId: court.id }).set(inspector.auth);
      expect(res.body.ok).toBe(true);
      const positions = (await t.db.knex("audit_events").where({ chain: court.id }).orderBy("chain_seq").select("chain_seq")).map((r) => Number(r.chain_seq));
      expect(positions).toEqual(positions.map((_, i) => i + 1));
      const ofCourt = await t.db.knex("audit_events").where({ court_id: court.id }).count<{ n: string }[]>("* as n");
      expect(positions.length).toBe(Number(ofCourt[0].n));
    }
  });
});
if (!onRealPostgres) console.warn("audit-trail: the concurrent-writer test runs only on real PostgreSQL (DATABASE_URL); PGlite serialises everything");
