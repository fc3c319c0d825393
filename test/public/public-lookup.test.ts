import type { Express } from "express";
import request from "supertest";
import { installPublicRateLimiter } from "../../api/app";
import { RateLimiter } from "../../api/public/rate-limiter";
import { startTestApp, unique, type TestApp } from "../helpers/test-app";
import { debtorCase, fullyPerform, listDebtor, listWorld, publish, today, type ListWorld } from "../listings/factories";
import { expectProblem } from "../helpers/problem";

let t: TestApp;
let w: ListWorld;
// The public site behind the court's reverse proxy on this host: X-Forwarded-For names the client.
let app: Express;
beforeAll(async () => {
  t = await startTestApp();
  w = await listWorld(t);
  app = t.appWith({ trustProxy: "loopback" });
  // Generous by default: only the rate-limit tests install a small one.
  installPublicRateLimiter(app, new RateLimiter({ limit: 10_000 }));
});
afterAll(async () => {
  await t.close();
});

const lookup = (name: string, from = "192.0.2.10") => request(app).get("/v1/public/dishonest-debtors").query({ name }).set("X-Forwarded-For", from);

/** A listed, published debtor whose name starts with `prefix`. */
async function publishedDebtor(prefix: string, ground = "able_but_refuses") {
  const c = await debtorCase(t, w, { name: `${prefix}${unique("")}`, idNumber: "431129197505052345" });
  const l = await listDebtor(t, w, c, { ground, decidedOn: ground === "able_but_refuses" ? "2024-06-03" : today() });
  await publish(t, w, l.id, "court_website", ground === "able_but_refuses" ? "2024-06-05" : today());
  return { c, l };
}

describe("the public lookup of the dishonest-debtor list", () => {
  test("needs no token, finds active published listings by name prefix, and never shows a full id number", async () => {
    const prefix = unique("甄");
    const { c, l } = await publishedDebtor(prefix);
    const res = await lookup(prefix);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      truncated: false,
      data: [
        {
          name: c.debtorName,
          kind: "person",
          idNumberMasked: "4311**********2345",
          courtName: w.court.name,
          caseNumber: c.caseNumber,
          ground: "able_but_refuses",
          decidedOn: "2024-06-03",
          publishedOn: "2024-06-05",
        },
      ],
    });
    expect(res.text).not.toContain("431129197505052345");
    expect(res.text).not.toContain(l.id);
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  test("an exact name comes before names that merely start with it", async () => {
    const base = unique("贾");
    const longer = await debtorCase(t, w, { name: `${base}明` });
    const exact = await debtorCase(t, w, { name: base });
    for (const c of [longer, exact]) await publish(t, w, (await listDebtor(t, w, c)).id);
    const res = await lookup(base);
    expect(res.body.data.map((d: { name: string }) => d.name)).toEqual([base, `${base}明`]);
  });

  test("an unpublished listing, and one whose only publication was withdrawn, are not shown", async () => {
    const prefix = unique("钱");
    await listDebtor(t, w, await debtorCase(t, w, { name: `${prefix}甲` }));
    const { l } = await publishedDebtor(`${prefix}乙`);
    expect((await lookup(prefix)).body.data).toHaveLength(1);
    await request(t.app).post(`/v1/listings/${l.id}/publications/${(await publish(t, w, l.id, "newspaper")).publications[1].id}/withdraw`).set(w.officer.auth).send({ withdrawnOn: today() });
    expect((await lookup(prefix)).body.data).toHaveLength(1); // still on the court website
    const site = (await request(t.app).get(`/v1/listings/${l.id}`).set(w.officer.auth)).body.publications[0];
    await request(t.app).post(`/v1/listings/${l.id}/publications/${site.id}/withdraw`).set(w.officer.auth).send({ withdrawnOn: today() });
    expect((await lookup(prefix)).body.data).toHaveLength(0);
  });

  test("a removed listing leaves the public lookup at once; so does one pending removal", async () => {
    const prefix = unique("孙");
    const removed = await publishedDebtor(`${prefix}甲`);
    const pending = await publishedDebtor(`${prefix}乙`);
    expect((await lookup(prefix)).body.data).toHaveLength(2);

    await fullyPerform(t, w, removed.c, today());
    const res = await request(t.app).post(`/v1/listings/${removed.l.id}/removal`).set(w.officer.auth).send({ ground: "fully_performed" });
    expect(res.body.status).toBe("removed");
    await request(t.app).post(`/v1/listings/${pending.l.id}/removal`).set(w.officer.auth).send({ ground: "execution_suspended" });

    const after = await lookup(prefix);
    expect(after.body.data).toEqual([]);
  });

  test("an expired listing is never shown, even if its publication was not withdrawn", async () => {
    const prefix = unique("李");
    const c = await debtorCase(t, w, { name: `${prefix}丙` });
    const l = await listDebtor(t, w, c, { ground: "obstructs_enforcement", decidedOn: "2022-06-01" });
    await t.db.knex("listing_publications").insert({
      id: "0e5a1f0c-7d1e-4c51-8f53-1a2b3c4d5e6f",
      court_id: w.court.id,
      listing_id: l.id,
      channel: "court_website",
      published_on: "2022-06-02",
      created_by: w.officer.id,
    });
    expect((await lookup(prefix)).body.data).toEqual([]);
  });

  test("at most 50 results, with truncated set when there are more", async () => {
    const prefix = unique("周");
    for (let i = 0; i < 51; i++) await publishedDebtor(`${prefix}${String(i).padStart(2, "0")}`);
    const res = await lookup(prefix);
    expect(res.body.data).toHaveLength(50);
    expect(res.body.truncated).toBe(true);
  });

  test.each([
    ["a single character", "周"],
    ["blanks only", "   "],
    ["a name of 101 characters", "周".repeat(101)],
  ])("%s is refused with 400", async (_what, name) => {
    expectProblem(await lookup(name), 400, "validation_failed");
  });

  test("a missing name is 400; `%` and `_` are literal, not wildcards", async () => {
    expectProblem(await request(t.app).get("/v1/public/dishonest-debtors"), 400, "validation_failed");
    const res = await lookup("%%");
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
  });

  test("a burst from one address gets 429 with Retry-After, while other addresses are still served", async () => {
    let nowMs = 1_000_000;
    installPublicRateLimiter(app, new RateLimiter({ limit: 3, windowMs: 60_000, now: () => nowMs }));
    try {
      const burst = [];
      for (let i = 0; i < 5; i++) burst.push(await lookup("无此人名", "203.0.113.7"));
      expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
      expectProblem(burst[3], 429, "rate_limited");
      expect(burst[3].headers["retry-after"]).toBe("20");

      expect((await lookup("无此人名", "198.51.100.9")).status).toBe(200);
      nowMs += 20_000;
      expect((await lookup("无此人名", "203.0.113.7")).status).toBe(200);
      expect((await lookup("无此人名", "203.0.113.7")).status).toBe(429);
    } finally {
      installPublicRateLimiter(app, new RateLimiter({ limit: 10_000 }));
    }
  });
});

describe("the rate limiter", () => {
  test("refills one request per window/limit, never beyond the limit", () => {
    let nowMs = 0;
    const limiter = new RateLimiter({ limit: 2, windowMs: 10_000, now: () => nowMs });
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")].map((d) => d.allowed)).toEqual([true, true, false]);
    expect(limiter.take("a")).toEqual({ allowed: false, retryAfterSeconds: 5 });
    nowMs += 4_000;
    expect(limiter.take("a")).toEqual({ allowed: false, retryAfterSeconds: 1 });
    nowMs += 1_000;
    expect(limiter.take("a").allowed).toBe(true);
    nowMs += 1_000_000;
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")].map((d) => d.allowed)).toEqual([true, true, false]);
  });

  test("remembers at most maxKeys addresses, forgetting the least recently seen", () => {
    const limiter = new RateLimiter({ limit: 1, maxKeys: 100, now: () => 0 });
    for (let i = 0; i < 1000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size()).toBeLessThanOrEqual(100);
    // The most recent address is still limited.
    expect(limiter.take("10.0.3.231").allowed).toBe(false);
  });
});
