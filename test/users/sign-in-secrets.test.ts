import { Writable } from "node:stream";
import request from "supertest";
import { createApp } from "../../api/app";
import { loadConfig } from "../../api/config";
import { createLogger } from "../../api/logger";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { bearer, userWithPassword } from "./sign-in-helpers";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

test("no password or token reaches the logs of a sign-in, a failed sign-in, a password change and a sign-out, even at trace level", async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = createApp({ db: t.db, config: loadConfig({ NODE_ENV: "test" }), logger: createLogger("trace", "json", sink) });
  const court = await t.court();
  const u = await userWithPassword(t, ["clerk"], [court.id]);
  const wrong = await request(app).post("/v1/sessions").send({ username: u.username, password: "Wrong-Password-42" });
  expect(wrong.status).toBe(401);
  const ok = await request(app).post("/v1/sessions").send({ username: u.username, password: u.initialPassword });
  expect(ok.status).toBe(201);
  const newPassword = "Ein-Sehr-Langes-Geheimnis-9";
  expect((await request(app).post("/v1/users/me/password").set(bearer(ok.body.token)).send({ currentPassword: u.initialPassword, newPassword })).status).toBe(204);
  expect((await request(app).delete("/v1/sessions/current").set(bearer(ok.body.token))).status).toBe(204);
  const log = lines.join("");
  expect(lines.length).toBeGreaterThan(3);
  for (const secret of [u.initialPassword, "Wrong-Password-42", newPassword, ok.body.token, ok.body.token.slice(5, 25)]) expect(log).not.toContain(secret);
  // …nor the audit trail.
  const events = JSON.stringify(await t.db.knex("audit_events").select("data"));
  for (const secret of [u.initialPassword, "Wrong-Password-42", newPassword, ok.body.token]) expect(events).not.toContain(secret);
});
