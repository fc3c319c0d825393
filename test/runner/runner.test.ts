import crypto from "node:crypto";
import request from "supertest";
import { loadConfig } from "../../api/config";
import { inProcessOperations } from "../../api/operations";
import { operation } from "../../api/core/operation";
import { runOperation, type RunRequest } from "../../api/runner/runner";
import { createLogger } from "../../api/logger";
import { courtWithStaff, newKey } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { executed, fundedCase, item, act, draft, returnItem } from "../payouts/payout-helpers";

/**
 * The runner's promises: every write leaves a trail, and the trail is written last (the audit
 * head is the lock every writer takes, so nothing may run while it is held but the replay
 * record and the commit). docs/adr/0002-audit-last.md.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const log = createLogger("silent");
const admin = () => ({ id: t.admin.id, name: t.admin.name, roles: ["admin" as const], courtIds: [] });
const call = (op: Parameters<typeof runOperation>[1]): Promise<unknown> =>
  runOperation({ knex: t.db.knex, config: { ...require("../../api/config").loadConfig({ NODE_ENV: "test" }) } }, op, {
    actor: admin(),
    requestId: "runner-test",
    params: {},
    query: {},
    body: undefined,
    route: "TEST /runner",
    path: "/runner",
    log,
  } satisfies RunRequest);
const auditCount = async () => Number((await t.db.knex("audit_events").count<{ n: string }[]>("* as n"))[0].n);

describe("the operation runner", () => {
  test("a write whose statements still run after its audit trail is written fails, and nothing is committed", async () => {
    const before = await auditCount();
    const leaky = operation({
      roles: ["admin"],
      writes: "transaction",
      run: (ctx) => {
        // A read the operation forgot to await: its statements run on while the runner writes the trail.
        void (async () => {
          for (let i = 0; i < 8; i++) await ctx.db.raw("SELECT 1").catch(() => undefined);
        })();
        ctx.audit.record({ action: "test.leaky", entityType: "test", entityId: "1", courtId: null, data: {} });
        return { ok: true };
      },
    });
    await expect(call(leaky)).rejects.toThrow(/statements ran after the audit trail was written/);
    expect(await auditCount()).toBe(before);
  });

  test("a write that records no audit event fails, and what it wrote is rolled back", async () => {
    const silent = operation({
      roles: ["admin"],
      writes: "transaction",
      run: async (ctx) => {
        await ctx.db("courts").insert({ id: "00000000-0000-4000-8000-00000000c0de", code: "SILENT", name: "never committed" });
        return { ok: true };
      },
    });
    await expect(call(silent)).rejects.toThrow(/recorded no audit event/);
    expect(await t.db.knex("courts").where({ code: "SILENT" })).toEqual([]);
  });

  test("a write that touches two courts' records fails (one court per transaction), and nothing is committed", async () => {
    const a = await t.court("OC");
    const b = await t.court("OC");
    const before = await auditCount();
    const straddling = operation({
      roles: ["admin"],
      writes: "transaction",
      run: (ctx) => {
        ctx.audit.record({ action: "test.a", entityType: "test", entityId: "1", courtId: a.id, data: {} });
        ctx.audit.record({ action: "test.b", entityType: "test", entityId: "2", courtId: b.id, data: {} });
        return { ok: true };
      },
    });
    await expect(call(straddling)).rejects.toThrow(/records of 2 courts/);
    expect(await auditCount()).toBe(before);
    // A court's records together with shared ones (a user, whose events belong to no court) are fine.
    const shared = operation({
      roles: ["admin"],
      writes: "transaction",
      run: (ctx) => {
        ctx.audit.record({ action: "test.a", entityType: "test", entityId: "1", courtId: a.id, data: {} });
        ctx.audit.record({ action: "test.user", entityType: "user", entityId: "2", courtId: null, data: {} });
        return { ok: true };
      },
    });
    await expect(call(shared)).resolves.toBeTruthy();
  });

  test("a write's audit events carry its caller and request id, and are written in one go at the end", async () => {
    const ok = operation({
      roles: ["admin"],
      writes: "transaction",
      run: (ctx) => {
        ctx.audit.record({ action: "test.one", entityType: "test", entityId: "a", courtId: null, data: { n: 1 } });
        ctx.audit.record({ action: "test.two", entityType: "test", entityId: "b", courtId: null, data: { n: 2 } });
        return { ok: true };
      },
    });
    await call(ok);
    const rows = await t.db.knex("audit_events").where({ request_id: "runner-test" }).whereIn("action", ["test.one", "test.two"]).orderBy("seq");
    expect(rows.map((r) => [r.action, r.actor_id])).toEqual([
      ["test.one", t.admin.id],
      ["test.two", t.admin.id],
    ]);
  });
});

describe("audit last, in the real write paths (statement log)", () => {
  test("an operation writes its trail in one call as its last statement, and then only commits", async () => {
    const statements = new Map<string, string[]>();
    const listener = (q: { __knexTxId?: string; sql?: string }) => {
      if (!q.__knexTxId || !q.sql) return;
      statements.set(q.__knexTxId, [...(statements.get(q.__knexTxId) ?? []), q.sql.trim()]);
    };
    t.db.knex.on("query", listener);
    try {
      const s = await courtWithStaff(t);
      // createCase, createReceipt (money), a batch through approve and execute, a return, a
      // reject and a cancel, and closeCase: the six paths that used to read after the append.
      const a = await fundedCase(t, s, "1000.00");
      const paid = await executed(t, s, [item(a, "600.00")]);
      expect((await returnItem(t, s.finance, paid.id, paid.items[0].id, { returnedOn: "2024-04-02", reason: "returned" })).status).toBe(200);
      const rejected = await draft(t, s, [item(a, "100.00")]);
      await act(t, s.clerk, rejected.id, "submit");
      expect((await act(t, s.approver, rejected.id, "reject", { reason: "no" })).status).toBe(200);
      const cancelled = await draft(t, s, [item(a, "100.00")]);
      expect((await act(t, s.clerk, cancelled.id, "cancel")).status).toBe(200);
      const empty = await fundedCase(t, s, "10.00");
      const again = await executed(t, s, [item(empty, "10.00")]);
      expect(again.status).toBe("executed");
      const closed = await request(t.app).post(`/v1/cases/${empty.id}/close`).set(s.clerk.auth).send({ closureType: "terminated", closedOn: "2024-04-02" });
      expect(closed.status).toBe(200);
      void newKey;
    } finally {
      t.db.knex.removeListener("query", listener);
    }
    // On PostgreSQL the replay record and the trail travel with COMMIT in one message.
    const writes = [...statements.values()].map((messages) => messages.flatMap((m) => m.split(/;\n/))).filter((sqls) => sqls.some((q) => /^select audit_append\(/i.test(q)));
    expect(writes.length).toBeGreaterThanOrEqual(12);
    for (const sqls of writes) {
      // The chain head is locked by audit_append and held only until the COMMIT right after it.
      const headAt = sqls.findIndex((q) => /^select audit_append\(/i.test(q));
      const after = sqls.slice(headAt).map((q) => q.replace(/\s+/g, " ").slice(0, 40).toLowerCase());
      expect(after.every((q) => /^select audit_append\(|^commit/.test(q))).toBe(true);
      expect(after[after.length - 1]).toMatch(/^commit/);
      expect(sqls.some((q) => /audit_head\b/i.test(q))).toBe(false);
    }
  });
});

describe("the idempotency claim (one statement)", () => {
  test("a replay record past its 48 hours is taken over by a new request with the same key; a live one is replayed", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await request(t.app)
      .post("/v1/cases")
      .set(clerk.auth)
      .send({ courtId: court.id, caseNumber: `(2024)湘1129执${Date.now() % 100000}号`, cause: "loan", filedOn: "2024-01-01", adjudicatedAmount: "100.00", applicants: [{ name: "甲", kind: "person" }], debtors: [{ name: "乙", kind: "person" }] });
    expect(c.status).toBe(201);
    const key = newKey();
    const post = (amount: string) =>
      request(t.app).post(`/v1/cases/${c.body.id}/receipts`).set(clerk.auth).set("Idempotency-Key", key).send({ amount, receivedOn: "2024-03-01", source: "voluntary" });
    const first = await post("1.00");
    expect(first.status).toBe(201);
    const replay = await post("1.00");
    expect(replay.body.id).toBe(first.body.id);
    expect((await post("2.00")).body.code).toBe("idempotency_key_reused");

    await t.db.knex("idempotency_keys").where({ user_id: clerk.id, key }).update({ expires_at: t.db.knex.raw("now() - interval '1 minute'") });
    const later = await post("2.00");
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    const stored = await t.db.knex("idempotency_keys").where({ user_id: clerk.id, key });
    expect(stored).toHaveLength(1);
    expect(stored[0].status_code).toBe(201);
    expect(stored[0].response_body.id).toBe(later.body.id);
  });

  test("a refused request leaves no claim behind, so the key can be used again", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const key = newKey();
    const refused = await request(t.app).post(`/v1/cases/${crypto.randomUUID()}/receipts`).set(clerk.auth).set("Idempotency-Key", key).send({ amount: "1.00", receivedOn: "2024-03-01", source: "voluntary" });
    expect(refused.status).toBe(404);
    expect(await t.db.knex("idempotency_keys").where({ user_id: clerk.id, key })).toEqual([]);
    void court;
  });

  test("a deactivated user's write with a key is refused inside its transaction", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const tokenRow = await t.db.knex("api_tokens").where({ user_id: clerk.id }).first();
    await t.db.knex("users").where({ id: clerk.id }).update({ active: false });
    // The runner gets an actor that passed sign-in a moment earlier, as an in-flight request would.
    const res = await runOperation({ knex: t.db.knex, config: loadConfig({ NODE_ENV: "test" }) }, inProcessOperations().createReceipt, {
      actor: { id: clerk.id, name: clerk.name, roles: ["clerk"], courtIds: [court.id], mustChangePassword: false, credential: { kind: "api_token", id: tokenRow.id } },
      requestId: "deactivated",
      params: { id: crypto.randomUUID() },
      query: {},
      body: { amount: "1.00", receivedOn: "2024-03-01", source: "voluntary" },
      idempotencyKey: newKey(),
      route: "POST /v1/cases/:id/receipts",
      path: "/v1/cases/x/receipts",
      log,
    }).catch((e: { code?: string }) => e.code);
    expect(res).toBe("unauthorized");
  });
});
