import request from "supertest";
import { bootstrapAdmin } from "../../api/users/users-service";
import { hashPassword } from "../../api/users/passwords";
import { loadConfig } from "../../api/config";
import { createLogger } from "../../api/logger";
import { runSystemWrite } from "../../api/runner/runner";
import type { Knex } from "knex";

import { startTestApp, unique, type TestApp } from "../helpers/test-app";

const bootstrap = (knex: Knex, token: string) =>
  runSystemWrite({ knex, config: loadConfig({ NODE_ENV: "test" }), log: createLogger("silent") }, "bootstrap", (ctx) => bootstrapAdmin(ctx, { token, username: "admin" }));

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe("courts and users", () => {
  test("an admin creates a court, and a second court with the same code is a 409 conflict", async () => {
    const code = unique("K").slice(0, 20);
    const created = await request(t.app).post("/v1/courts").set(t.admin.auth).send({ code, name: "江华县人民法院" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code, name: "江华县人民法院" });

    const again = await request(t.app).post("/v1/courts").set(t.admin.auth).send({ code, name: "another" });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("conflict");
    const rows = await t.db.knex("courts").where({ code });
    expect(rows).toHaveLength(1);
  });

  test("a new user's token is shown once, stored only as a hash, and works for /v1/users/me", async () => {
    const court = await t.court();
    const res = await request(t.app).post("/v1/users").set(t.admin.auth).send({ name: "李执行", roles: ["clerk"], courtIds: [court.id] });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^cef_[A-Za-z0-9_-]{43}$/);
    const stored = await t.db.knex("users").where({ id: res.body.id }).first();
    expect(JSON.stringify(stored)).not.toContain(res.body.token);
    // The token lives on as an API token (round 2), and only as its hash.
    const token = await t.db.knex("api_tokens").where({ user_id: res.body.id }).first();
    expect(JSON.stringify(token)).not.toContain(res.body.token);
    expect(token.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const me = await request(t.app).get("/v1/users/me").set("Authorization", `Bearer ${res.body.token}`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: res.body.id, name: "李执行", roles: ["clerk"], courtIds: [court.id] });
    expect(me.body.token).toBeUndefined();
  });

  test("a clerk sees only her own courts; an admin sees them all", async () => {
    const mine = await t.court();
    const other = await t.court();
    const clerk = await t.user(["clerk"], [mine.id]);
    const res = await request(t.app).get("/v1/courts").set(clerk.auth);
    expect(res.status).toBe(200);
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    const all = await request(t.app).get("/v1/courts?limit=500").set(t.admin.auth);
    const ids = all.body.data.map((c: { id: string }) => c.id);
    expect(ids).toEqual(expect.arrayContaining([mine.id, other.id]));
  });

  test("court lists page with a cursor, without gaps or repeats", async () => {
    for (let i = 0; i < 5; i++) await t.court("P");
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await request(t.app)
        .get("/v1/courts")
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .set(t.admin.auth);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    const total = await t.db.knex("courts").count<{ count: string }[]>("* as count");
    expect(seen).toHaveLength(Number(total[0].count));
    expect(new Set(seen).size).toBe(seen.length);
  });

  test("a clerk cannot create courts or users: 403 forbidden", async () => {
    const court = await t.court();
    const clerk = await t.user(["clerk"], [court.id]);
    const res = await request(t.app).post("/v1/courts").set(clerk.auth).send({ code: unique("X").slice(0, 20), name: "x" });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("forbidden");
    const u = await request(t.app).post("/v1/users").set(clerk.auth).send({ name: "x", roles: ["admin"], courtIds: [] });
    expect(u.status).toBe(403);
  });

  test("a user cannot be given a court that does not exist, and nothing is stored", async () => {
    const name = unique("ghost ");
    const res = await request(t.app)
      .post("/v1/users")
      .set(t.admin.auth)
      .send({ name, roles: ["clerk"], courtIds: ["7f1c1a36-4a09-4a43-9f59-0e9a4c5e9f00"] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: "body.courtIds.0", message: "no such court" }]);
    expect(await t.db.knex("users").where({ name })).toHaveLength(0);
  });

  test("unknown fields such as an attempt to set the token are rejected, never stored", async () => {
    const name = unique("sneaky ");
    const res = await request(t.app)
      .post("/v1/users")
      .set(t.admin.auth)
      .send({ name, roles: ["clerk"], courtIds: [], token: "x".repeat(40) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect(res.body.errors).toEqual([{ path: "body.token", message: expect.stringContaining("unknown field") }]);
    expect(await t.db.knex("users").where({ name })).toHaveLength(0);
  });
});

describe("authentication", () => {
  test("no token, a malformed header and an unknown token are each 401 unauthorized", async () => {
    for (const header of [undefined, "Basic abc", "Bearer " + "z".repeat(43)]) {
      const req = request(t.app).get("/v1/users/me");
      if (header) req.set("Authorization", header);
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("unauthorized");
      expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    }
  });
});

describe("the first admin", () => {
  test("BOOTSTRAP_ADMIN_TOKEN makes an admin only while none exists, and only its hash is stored", async () => {
    const fresh = await startTestApp();
    try {
      // The test app already has an admin: the bootstrap token is ignored.
      const ignored = "b".repeat(40);
      expect(await bootstrap(fresh.db.knex, ignored)).toBe(false);
      expect((await request(fresh.app).get("/v1/users/me").set("Authorization", `Bearer ${ignored}`)).status).toBe(401);

      await fresh.db.knex.raw("UPDATE users SET roles = '{inspector}' WHERE 'admin' = ANY(roles)");
      const token = "a".repeat(40);
      expect(await bootstrap(fresh.db.knex, token)).toBe(true);
      expect(await bootstrap(fresh.db.knex, "c".repeat(40))).toBe(false);
      const me = await request(fresh.app).get("/v1/users/me").set("Authorization", `Bearer ${token}`);
      expect(me.status).toBe(200);
      expect(me.body.roles).toEqual(["admin"]);
      const rows = await fresh.db.knex("users").whereRaw("'admin' = ANY(roles)");
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(token);
    } finally {
      await fresh.close();
    }
  });
});

describe("the first admin with a password", () => {
  test("BOOTSTRAP_ADMIN_PASSWORD makes a first admin who signs in with it (not a one-time password)", async () => {
    const fresh = await startTestApp();
    try {
      await fresh.db.knex.raw("UPDATE users SET roles = '{inspector}' WHERE 'admin' = ANY(roles)");
      const config = loadConfig({ NODE_ENV: "test" });
      const passwordHash = await hashPassword("an operator's chosen secret", config.passwordScryptCost);
      const made = await runSystemWrite({ knex: fresh.db.knex, config, log: createLogger("silent") }, "bootstrap", (ctx) =>
        bootstrapAdmin(ctx, { username: "root.admin", passwordHash }),
      );
      expect(made).toBe(true);
      const session = await request(fresh.app).post("/v1/sessions").send({ username: "root.admin", password: "an operator's chosen secret" });
      expect(session.status).toBe(201);
      expect(session.body).toMatchObject({ mustChangePassword: false, user: { username: "root.admin", roles: ["admin"] } });
      expect((await request(fresh.app).get("/v1/courts").set("Authorization", `Bearer ${session.body.token}`)).status).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});

