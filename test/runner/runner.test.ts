import request from "supertest";
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
    const writes = [...statements.values()].filter((sqls) => sqls.some((q) => /^select audit_append\(/i.test(q)));
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
