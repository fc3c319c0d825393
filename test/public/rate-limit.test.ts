import request from "supertest";
import { expectProblem } from "../helpers/problem";
import { startTestApp, type TestApp } from "../helpers/test-app";

/** Issue 17, finding 5: the public lookup's rate limit is kept in the database and cannot be dodged by a header. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/**
 * The limiter counts in fixed one-minute windows of the database's clock: a test that ran across a
 * minute's turn would see its count start again (a CI failure: six lookups, none refused, when the
 * turn fell after the third). Each test starts early enough in a minute to finish inside it.
 */
async function awayFromMinuteTurn(): Promise<void> {
  const { rows } = await t.db.knex.raw<{ rows: { ms: string }[] }>("SELECT (extract(epoch FROM now()) * 1000 % 60000)::bigint::text AS ms");
  const intoMinute = Number(rows[0].ms);
  if (intoMinute > 40_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 250));
}

const lookup = (app: Parameters<typeof request>[0], forwardedFor?: string) => {
  const r = request(app).get("/v1/public/dishonest-debtors").query({ name: "无此人名" });
  return forwardedFor ? r.set("X-Forwarded-For", forwardedFor) : r;
};

test("by default X-Forwarded-For is not believed: rotating it does not get past the limit", async () => {
  const app = t.appWith({ publicRateLimitPerMinute: 3, trustProxy: false });
  await awayFromMinuteTurn();
  const answers = [];
  for (let i = 0; i < 6; i++) answers.push(await lookup(app, `203.0.113.${i + 1}`));
  expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429, 429, 429]);
  const refused = answers.find((r) => r.status === 429)!;
  expectProblem(refused, 429, "rate_limited");
  expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(60);
});

test("with TRUST_PROXY set, the address the proxy names is the client's", async () => {
  const app = t.appWith({ publicRateLimitPerMinute: 2, trustProxy: "loopback" });
  const ip = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
  await awayFromMinuteTurn();
  const same = [await lookup(app, ip), await lookup(app, ip), await lookup(app, ip)];
  expect(same.map((r) => r.status)).toEqual([200, 200, 429]);
  expect((await lookup(app, `192.0.2.${Math.floor(Math.random() * 200) + 20}`)).status).toBe(200);
});

test("the count is shared by every process on the database: a second app sees the first one's hits", async () => {
  const ip = `192.0.2.${Math.floor(Math.random() * 200) + 20}`;
  const first = t.appWith({ publicRateLimitPerMinute: 2, trustProxy: "loopback" });
  const second = t.appWith({ publicRateLimitPerMinute: 2, trustProxy: "loopback" });
  await awayFromMinuteTurn();
  const a = await lookup(first, ip);
  const b = await lookup(second, ip);
  const c = await lookup(first, ip);
  const d = await lookup(second, ip);
  expect([a, b, c, d].map((r) => r.status)).toEqual([200, 200, 429, 429]);
  const rows = await t.db.knex("rate_limit_hits").where("bucket", `public-lookup:${ip}`);
  expect(rows.reduce((n, r) => n + r.hits, 0)).toBe(4);
});
