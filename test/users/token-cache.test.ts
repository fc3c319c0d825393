import request from "supertest";
import type { Express } from "express";
import { expectProblem } from "../helpers/problem";
import { createCase, courtWithStaff, newKey, postReceipt, receive } from "../helpers/factories";
import { startTestApp, type TestApp, type TestUser } from "../helpers/test-app";
import { activated, bearer } from "./sign-in-helpers";

/**
 * Issue 16: each app caches the actor of a token it resolved, so that a request skips the token
 * lookup; yet revocation, sign-out, deactivation, idle time and changes of roles or courts bite
 * on the very next request, here and in any other process on the database (docs/adr/0006).
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** The token lookup statement (usersStore.actorByTokenHash): absent when the cache answers. */
const TOKEN_LOOKUP = /^SELECT c\.kind, c\.credential_id/;

async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listen = (q: { sql?: string }) => seen.push((q.sql ?? "").trim());
  t.db.knex.on("query", listen);
  try {
    await work();
  } finally {
    t.db.knex.off("query", listen);
  }
  return seen;
}

async function tokenIdOf(user: TestUser): Promise<string> {
  const row = await t.db.knex("api_tokens").where({ user_id: user.id }).first("id");
  return row.id;
}

const me = (app: Express, user: { auth: Record<string, string> }) => request(app).get("/v1/users/me").set(user.auth);

describe("a cached token skips the lookup, and the database still has the last word", () => {
  test("the second request of a token runs no token lookup; the first did", async () => {
    const { clerk } = await courtWithStaff(t, "TC");
    const first = await statementsOf(() => me(t.app, clerk).expect(200));
    const second = await statementsOf(() => me(t.app, clerk).expect(200));
    expect(first.filter((s) => TOKEN_LOOKUP.test(s))).toHaveLength(1);
    expect(second.filter((s) => TOKEN_LOOKUP.test(s))).toHaveLength(0);
    // Its transaction's scope statement carries the re-check instead.
    expect(second.find((s) => /set_config\('role'/.test(s))).toMatch(/AS still_valid/);
  });

  test("a cached API token revoked by an admin is refused on the very next read and write, and nothing is written", async () => {
    const { court, clerk } = await courtWithStaff(t, "TC");
    const c = await createCase(t, clerk, court.id);
    await me(t.app, clerk).expect(200);
    await request(t.app).delete(`/v1/api-tokens/${await tokenIdOf(clerk)}`).set(t.admin.auth).expect(204);
    expectProblem(await me(t.app, clerk), 401, "unauthorized");
    expectProblem(await postReceipt(t, clerk, c.id, { amount: "5.00", receivedOn: "2024-03-01", source: "voluntary" }), 401, "unauthorized");
    expect(await t.db.knex("receipts").where({ case_id: c.id })).toEqual([]);
  });

  test("a cached token of a deactivated user is refused at once, even where its input is bad or its role would be refused", async () => {
    const { clerk } = await courtWithStaff(t, "TC");
    await me(t.app, clerk).expect(200);
    await request(t.app).post(`/v1/users/${clerk.id}/deactivate`).set(t.admin.auth).expect(200);
    expectProblem(await me(t.app, clerk), 401, "unauthorized");
    // Refusals a cached actor would earn (an unknown field, an admin's operation) are not answered for a dead token.
    expectProblem(await request(t.app).post("/v1/courts").set(clerk.auth).send({ code: "X", name: "X", extra: 1 }), 401, "unauthorized");
    expectProblem(await request(t.app).get("/v1/users").set(clerk.auth), 401, "unauthorized");
    // A public operation answers a dead token 401 as it did before the cache.
    expectProblem(await request(t.app).get("/v1/public/dishonest-debtors?name=张三").set(clerk.auth), 401, "unauthorized");
  });

  test("a session signed out through another app is refused on the next request; so is one whose user's password was reset", async () => {
    const court = await t.court("TC");
    const other = t.appWith({});
    const u = await activated(t, ["clerk"], [court.id]);
    const session = { auth: bearer(u.token) };
    await me(t.app, session).expect(200);
    await request(other).delete("/v1/sessions/current").set(session.auth).expect(204);
    expectProblem(await me(t.app, session), 401, "unauthorized");
    expectProblem(await request(t.app).get("/v1/cases").set(session.auth), 401, "unauthorized");

    const v = await activated(t, ["clerk"], [court.id]);
    await me(t.app, { auth: bearer(v.token) }).expect(200);
    await request(t.app).post(`/v1/users/${v.id}/password-reset`).set(t.admin.auth).expect(200);
    expectProblem(await me(t.app, { auth: bearer(v.token) }), 401, "unauthorized");
  });

  test("an expired API token and a session past its end are refused although cached; so is the password change, whose check runs before its transaction", async () => {
    const court = await t.court("TC");
    const clerk = await t.user(["clerk"], [court.id]);
    await me(t.app, clerk).expect(200);
    await t.db.knex("api_tokens").where({ user_id: clerk.id }).update({ expires_on: "2020-01-01" });
    expectProblem(await me(t.app, clerk), 401, "unauthorized");

    const u = await activated(t, ["clerk"], [court.id]);
    const session = bearer(u.token);
    await me(t.app, { auth: session }).expect(200);
    await t.db.knex("sessions").where({ user_id: u.id }).update({ expires_at: t.db.knex.raw("now() - interval '1 second'") });
    // `prepare` checks the current password on the pool, before any transaction re-checks the session.
    const change = await request(t.app).post("/v1/users/me/password").set(session).send({ currentPassword: "not the password", newPassword: "a-fine-long-passphrase" });
    expectProblem(change, 401, "unauthorized");
    expectProblem(await me(t.app, { auth: session }), 401, "unauthorized");
  });

  test("a user given another court sees it on the next request and no longer sees the old one (re-scoped, not refused)", async () => {
    const a = await courtWithStaff(t, "TA");
    const b = await courtWithStaff(t, "TB");
    const caseOfA = await createCase(t, a.clerk, a.court.id);
    const caseOfB = await createCase(t, b.clerk, b.court.id);
    const mover = await t.user(["clerk"], [a.court.id]);
    await request(t.app).get(`/v1/cases/${caseOfA.id}`).set(mover.auth).expect(200);
    expectProblem(await request(t.app).get(`/v1/cases/${caseOfB.id}`).set(mover.auth), 404, "not_found");

    await request(t.app).patch(`/v1/users/${mover.id}`).set(t.admin.auth).send({ courtIds: [b.court.id] }).expect(200);
    await request(t.app).get(`/v1/cases/${caseOfB.id}`).set(mover.auth).expect(200);
    expectProblem(await request(t.app).get(`/v1/cases/${caseOfA.id}`).set(mover.auth), 404, "not_found");
    // A write after the change runs under the new courts too.
    await receive(t, mover, caseOfB.id, "7.00");
    expectProblem(await postReceipt(t, mover, caseOfA.id, { amount: "7.00", receivedOn: "2024-03-01", source: "voluntary" }, newKey()), 404, "not_found");
    expect(await t.db.knex("receipts").where({ case_id: caseOfA.id })).toEqual([]);
  });

  test("roles changed: a role taken away is refused at once, a role given works at once although the token was cached without it", async () => {
    const court = await t.court("TC");
    const u = await t.user(["inspector"], [court.id]);
    expectProblem(await request(t.app).post("/v1/cases").set(u.auth).send({}), 403, "forbidden");

    await request(t.app).patch(`/v1/users/${u.id}`).set(t.admin.auth).send({ roles: ["clerk"] }).expect(200);
    const made = await createCase(t, u, court.id);
    expect(made.id).toBeDefined();

    await request(t.app).patch(`/v1/users/${u.id}`).set(t.admin.auth).send({ roles: ["inspector"] }).expect(200);
    expectProblem(await postReceipt(t, u, made.id, { amount: "1.00", receivedOn: "2024-03-01", source: "voluntary" }), 403, "forbidden");
    expect(await t.db.knex("receipts").where({ case_id: made.id })).toEqual([]);
  });
});

describe("two processes on one database", () => {
  test("a revocation through one app is seen at once by another that has the token cached", async () => {
    const other = t.appWith({});
    const { clerk } = await courtWithStaff(t, "TP");
    await me(t.app, clerk).expect(200);
    await me(other, clerk).expect(200);
    await me(other, clerk).expect(200); // cached in `other` now
    await request(t.app).delete(`/v1/api-tokens/${await tokenIdOf(clerk)}`).set(t.admin.auth).expect(204);
    expectProblem(await me(other, clerk), 401, "unauthorized");
  });

  test("a deactivation through one app is seen at once by the other's reads and writes", async () => {
    const other = t.appWith({});
    const { court, clerk } = await courtWithStaff(t, "TP");
    const c = await createCase(t, clerk, court.id);
    await request(other).get(`/v1/cases/${c.id}`).set(clerk.auth).expect(200);
    await request(t.app).get(`/v1/cases/${c.id}`).set(clerk.auth).expect(200);
    await request(other).post(`/v1/users/${clerk.id}/deactivate`).set(t.admin.auth).expect(200);
    expectProblem(await request(t.app).get(`/v1/cases/${c.id}`).set(clerk.auth), 401, "unauthorized");
    expectProblem(await postReceipt(t, clerk, c.id, { amount: "5.00", receivedOn: "2024-03-01", source: "voluntary" }), 401, "unauthorized");
    expect(await t.db.knex("receipts").where({ case_id: c.id })).toEqual([]);
  });
});

describe("the idle clock of a cached session", () => {
  test("a session idle past SESSION_IDLE_MINUTES is refused although it was cached a moment ago", async () => {
    const court = await t.court("TI");
    const u = await activated(t, ["clerk"], [court.id]);
    await me(t.app, { auth: bearer(u.token) }).expect(200);
    await t.db.knex("sessions").where({ user_id: u.id }).update({ last_seen_at: t.db.knex.raw("now() - interval '31 minutes'") });
    expectProblem(await me(t.app, { auth: bearer(u.token) }), 401, "unauthorized");
    // And the refused request did not revive it.
    const row = await t.db.knex("sessions").where({ user_id: u.id }).whereNull("ended_at").first();
    expect(Date.now() - new Date(row.last_seen_at).getTime()).toBeGreaterThan(30 * 60_000);
  });

  test("a cached session in use keeps its idle clock running: the scope statement says the touch is due, and it is written", async () => {
    const court = await t.court("TI");
    const u = await activated(t, ["clerk"], [court.id]);
    await me(t.app, { auth: bearer(u.token) }).expect(200);
    await t.db.knex("sessions").where({ user_id: u.id }).update({ last_seen_at: t.db.knex.raw("now() - interval '29 minutes'") });
    const statements = await statementsOf(() => me(t.app, { auth: bearer(u.token) }).expect(200));
    expect(statements.filter((s) => TOKEN_LOOKUP.test(s))).toHaveLength(0);
    const row = await t.db.knex("sessions").where({ user_id: u.id }).whereNull("ended_at").first();
    expect(Date.now() - new Date(row.last_seen_at).getTime()).toBeLessThan(60_000);
    // Fresh again: the next request writes nothing.
    const next = await statementsOf(() => me(t.app, { auth: bearer(u.token) }).expect(200));
    expect(next.filter((s) => /^update "sessions"/i.test(s))).toHaveLength(0);
  });
});
