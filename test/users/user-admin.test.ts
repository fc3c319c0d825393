import request from "supertest";
import { expectProblem } from "../helpers/problem";
import { startTestApp, unique, type TestApp } from "../helpers/test-app";
import { activated, bearer, signIn, userWithPassword } from "./sign-in-helpers";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const admin = () => t.admin.auth;

describe("the admin manages the court's users", () => {
  test("lists them by court, role and active, a page at a time", async () => {
    const court = await t.court();
    const made = [await userWithPassword(t, ["clerk"], [court.id]), await userWithPassword(t, ["clerk"], [court.id]), await userWithPassword(t, ["finance"], [court.id])];
    const clerks = await request(t.app).get("/v1/users").query({ courtId: court.id, role: "clerk", limit: 1 }).set(admin());
    expect(clerks.status).toBe(200);
    expect(clerks.body.data).toHaveLength(1);
    const rest = await request(t.app).get("/v1/users").query({ courtId: court.id, role: "clerk", cursor: clerks.body.nextCursor }).set(admin());
    expect([...clerks.body.data, ...rest.body.data].map((u: { id: string }) => u.id).sort()).toEqual([made[0].id, made[1].id].sort());
    expect(rest.body.nextCursor).toBeNull();
    const one = await request(t.app).get(`/v1/users/${made[2].id}`).set(admin());
    expect(one.body).toMatchObject({ username: made[2].username, roles: ["finance"], active: true, courtIds: [court.id] });
  });

  test("changes roles and courts, with before and after in the audit trail", async () => {
    const [a, b] = [await t.court(), await t.court()];
    const u = await userWithPassword(t, ["clerk"], [a.id]);
    const res = await request(t.app).patch(`/v1/users/${u.id}`).set(admin()).send({ roles: ["clerk", "finance"], courtIds: [a.id, b.id] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ roles: ["clerk", "finance"], courtIds: [a.id, b.id].sort() });
    const event = await t.db.knex("audit_events").where({ entity_id: u.id, action: "user.updated" }).first();
    expect(event.data.before).toEqual({ name: expect.any(String), roles: ["clerk"], courtIds: [a.id] });
    expect(event.data.after.roles).toEqual(["clerk", "finance"]);
    expectProblem(await request(t.app).patch(`/v1/users/${u.id}`).set(admin()).send({ active: false }), 400, "validation_failed");
    expectProblem(await request(t.app).patch(`/v1/users/${u.id}`).set(admin()).send({}), 400, "validation_failed");
  });

  test("deactivation cuts a signed-in user off on the next request, and her API tokens too; reactivation needs a new sign-in", async () => {
    const court = await t.court();
    const u = await activated(t, ["clerk"], [court.id]);
    expect((await request(t.app).get("/v1/cases").set(bearer(u.token))).status).toBe(200);
    const apiToken = (await request(t.app).post("/v1/api-tokens").set(admin()).send({ userId: u.id, name: "扫描仪", expiresOn: "2027-06-30" })).body.token;
    expect((await request(t.app).get("/v1/users/me").set(bearer(apiToken))).status).toBe(200);

    const off = await request(t.app).post(`/v1/users/${u.id}/deactivate`).set(admin());
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expectProblem(await request(t.app).get("/v1/cases").set(bearer(u.token)), 401, "unauthorized");
    expectProblem(await request(t.app).get("/v1/users/me").set(bearer(apiToken)), 401, "unauthorized");
    expectProblem(await signIn(t.app, u.username, u.password), 401, "invalid_credentials");
    expectProblem(await request(t.app).post(`/v1/users/${u.id}/deactivate`).set(admin()), 409, "invalid_state");

    expect((await request(t.app).post(`/v1/users/${u.id}/reactivate`).set(admin())).status).toBe(200);
    expectProblem(await request(t.app).get("/v1/cases").set(bearer(u.token)), 401, "unauthorized");
    expect((await signIn(t.app, u.username, u.password)).status).toBe(201);
  });

  test("a password reset gives a new one-time password, ends the user's sessions, and must be changed", async () => {
    const court = await t.court();
    const u = await activated(t, ["finance"], [court.id]);
    const reset = await request(t.app).post(`/v1/users/${u.id}/password-reset`).set(admin());
    expect(reset.status).toBe(200);
    expectProblem(await request(t.app).get("/v1/users/me").set(bearer(u.token)), 401, "unauthorized");
    expectProblem(await signIn(t.app, u.username, u.password), 401, "invalid_credentials");
    const again = await signIn(t.app, u.username, reset.body.initialPassword);
    expect(again.body.mustChangePassword).toBe(true);
    expectProblem(await request(t.app).get("/v1/cases").set(bearer(again.body.token)), 403, "password_change_required");
  });

  test("the last active admin can neither be deactivated nor lose the admin role (409); with a second admin she can", async () => {
    const only = await t.db.knex("users").whereRaw("'admin' = ANY(roles)").where({ active: true });
    expect(only).toHaveLength(1);
    expectProblem(await request(t.app).post(`/v1/users/${t.admin.id}/deactivate`).set(admin()), 409, "conflict");
    expectProblem(await request(t.app).patch(`/v1/users/${t.admin.id}`).set(admin()).send({ roles: ["inspector"] }), 409, "conflict");
    const second = await activated(t, ["admin"], []);
    expect((await request(t.app).patch(`/v1/users/${t.admin.id}`).set(bearer(second.token)).send({ roles: ["admin", "inspector"] })).status).toBe(200);
    expect((await request(t.app).post(`/v1/users/${second.id}/deactivate`).set(admin())).status).toBe(200);
    expectProblem(await request(t.app).post(`/v1/users/${t.admin.id}/deactivate`).set(admin()), 409, "conflict");
  });

  test("an admin of one court sees and changes only that court's users (404 for others); usernames are unique without case", async () => {
    const [mine, other] = [await t.court(), await t.court()];
    const courtAdmin = await activated(t, ["admin"], [mine.id]);
    const stranger = await userWithPassword(t, ["clerk"], [other.id]);
    const list = await request(t.app).get("/v1/users").set(bearer(courtAdmin.token));
    expect(list.body.data.map((u: { id: string }) => u.id)).not.toContain(stranger.id);
    expectProblem(await request(t.app).get(`/v1/users/${stranger.id}`).set(bearer(courtAdmin.token)), 404, "not_found");
    expectProblem(await request(t.app).post(`/v1/users/${stranger.id}/deactivate`).set(bearer(courtAdmin.token)), 404, "not_found");
    expectProblem(await request(t.app).post("/v1/users").set(bearer(courtAdmin.token)).send({ username: unique("x"), name: "x", roles: ["clerk"], courtIds: [other.id] }), 404, "not_found");
    const taken = await request(t.app).post("/v1/users").set(admin()).send({ username: stranger.username.toUpperCase(), name: "dup", roles: ["clerk"], courtIds: [] });
    expectProblem(taken, 409, "conflict");
    for (const username of ["ab", "a b c", "名字", "x".repeat(33), "ab\u0000cd"]) {
      expectProblem(await request(t.app).post("/v1/users").set(admin()).send({ username, name: "x", roles: ["clerk"], courtIds: [] }), 400, "validation_failed");
    }
  });
});

describe("API tokens for other systems", () => {
  test("made for at most a year, shown once, listed with the v1 tokens (which have no expiry), revoked at once", async () => {
    const court = await t.court();
    const u = await activated(t, ["finance"], [court.id]);
    expectProblem(await request(t.app).post("/v1/api-tokens").set(admin()).send({ userId: u.id, name: "网银对接", expiresOn: "2030-01-01" }), 400, "validation_failed");
    expectProblem(await request(t.app).post("/v1/api-tokens").set(admin()).send({ userId: u.id, name: "网银对接", expiresOn: "2020-01-01" }), 400, "validation_failed");
    const made = await request(t.app).post("/v1/api-tokens").set(admin()).send({ userId: u.id, name: "网银对接", expiresOn: "2027-03-31" });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ userId: u.id, name: "网银对接", expiresOn: "2027-03-31", revokedAt: null });
    expect((await request(t.app).get("/v1/users/me").set(bearer(made.body.token))).status).toBe(200);

    const v1 = await t.user(["clerk"], [court.id]);
    const list = await request(t.app).get("/v1/api-tokens").set(admin());
    const v1Token = list.body.data.find((k: { userId: string }) => k.userId === v1.id);
    expect(v1Token).toMatchObject({ name: "v1 token", expiresOn: null });
    expect(JSON.stringify(list.body)).not.toContain(made.body.token);

    expect((await request(t.app).delete(`/v1/api-tokens/${v1Token.id}`).set(admin())).status).toBe(204);
    expectProblem(await request(t.app).get("/v1/users/me").set(v1.auth), 401, "unauthorized");
    expectProblem(await request(t.app).delete(`/v1/api-tokens/${v1Token.id}`).set(admin()), 409, "invalid_state");
    const actions = (await t.db.knex("audit_events").whereIn("entity_id", [made.body.id, v1Token.id]).orderBy("seq")).map((e) => e.action);
    expect(actions).toEqual(["api_token.created", "api_token.revoked"]);
  });

  test("an expired token fails; only admins make tokens", async () => {
    const court = await t.court();
    const u = await activated(t, ["clerk"], [court.id]);
    const made = await request(t.app).post("/v1/api-tokens").set(admin()).send({ userId: u.id, name: "x", expiresOn: "2027-01-31" });
    await t.db.knex("api_tokens").where({ id: made.body.id }).update({ expires_on: "2026-11-30" });
    expectProblem(await request(t.app).get("/v1/users/me").set(bearer(made.body.token)), 401, "unauthorized");
    expectProblem(await request(t.app).post("/v1/api-tokens").set(bearer(u.token)).send({ userId: u.id, name: "x", expiresOn: "2027-01-31" }), 403, "forbidden");
  });
});
