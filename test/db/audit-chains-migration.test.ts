import crypto from "node:crypto";
import type { Knex } from "knex";
import request from "supertest";
import { GENESIS_HASH, hashEvent } from "../../api/audit/audit-store";
import { migrateDownThrough, migrateLatest } from "../../db/migrate";
import { courtWithStaff, createCase, receive } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";

/**
 * Issue 16: the v1 global chain becomes the prefix of every court's chain. A database holding
 * events written the v1 way (one chain, one head) is migrated, then courts write their own chains.
 */
const v1Court = crypto.randomUUID();

/** Events appended exactly as v1 did: one global head, seq 1, 2, … */
async function appendTheV1Way(knex: Knex, n: number): Promise<string> {
  return knex.transaction(async (tx) => {
    const head = await tx("audit_head").where({ id: 1 }).forUpdate().first<{ seq: string; hash: string }>("seq", "hash");
    let seq = BigInt(head.seq);
    let prevHash = head.hash;
    const at = new Date("2024-03-01T02:00:00.000Z");
    for (let i = 0; i < n; i++) {
      seq += 1n;
      const e = { actorId: null, action: "receipt.recorded", entityType: "receipt", entityId: crypto.randomUUID(), courtId: v1Court, requestId: `v1-${i}`, data: { amount: `${i + 1}.00` } };
      const hash = hashEvent({ ...e, seq: seq.toString(), at, prevHash });
      await tx("audit_events").insert({
        seq: seq.toString(), at, actor_id: null, action: e.action, entity_type: e.entityType, entity_id: e.entityId, court_id: e.courtId,
        request_id: e.requestId, data: JSON.stringify(e.data), prev_hash: prevHash, hash,
      });
      prevHash = hash;
    }
    await tx("audit_head").where({ id: 1 }).update({ seq: seq.toString(), hash: prevHash });
    return prevHash;
  });
}

let t: TestApp;
let v1Head = "";
beforeAll(async () => {
  t = await startTestApp({
    beforeApp: async (db) => {
      await migrateDownThrough(db.knex, "20261201_0570_audit_chains");
      v1Head = await appendTheV1Way(db.knex, 7);
      await migrateLatest(db.knex);
    },
  });
});
afterAll(async () => {
  await t.close();
});

describe("the v1 chain as the prefix of the courts' chains", () => {
  test("after the migration the v1 events verify unchanged and every new chain starts from their head", async () => {
    expect(v1Head).not.toBe(GENESIS_HASH);
    const { court, clerk } = await courtWithStaff(t);
    await receive(t, clerk, (await createCase(t, clerk, court.id)).id, "9.00");

    const all = await request(t.app).get("/v1/audit-events/verify").set(t.admin.auth);
    expect(all.body).toMatchObject({ ok: true, head: v1Head });
    const chains = all.body.chains as { chain: string; events: string }[];
    expect(chains.map((c) => c.chain).sort()).toEqual([court.id, "system"].sort());
    const total = chains.reduce((n, c) => n + Number(c.events), 7);
    expect(all.body.events).toBe(String(total));

    const first = await t.db.knex("audit_events").where({ chain: court.id, chain_seq: 1 }).first();
    expect(first.prev_hash).toBe(v1Head);
    const legacy = await t.db.knex("audit_events").whereNull("chain").orderBy("seq").select("seq");
    expect(legacy.map((r) => r.seq)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    // New events are numbered after the v1 ones.
    expect(Number(first.seq)).toBeGreaterThan(7);
  });

  test("an edited v1 event is still caught, in the prefix", async () => {
    await t.db.knex.transaction(async (tx) => {
      await tx.raw("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
      await tx.raw(`UPDATE audit_events SET data = '{"amount":"300.00"}' WHERE seq = 3`);
      await tx.raw("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
    });
    const all = await request(t.app).get("/v1/audit-events/verify").set(t.admin.auth);
    expect(all.body).toMatchObject({ ok: false, chain: "global", brokenAt: "3", seq: "3" });
  });
});
