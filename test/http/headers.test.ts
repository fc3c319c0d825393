import request from "supertest";
import { startTestApp, type TestApp } from "../helpers/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe("security headers", () => {
  test("an API answer: no X-Powered-By, nosniff, no framing, a CSP that loads nothing, never cached", async () => {
    const res = await request(t.app).get("/v1/users/me").set(t.admin.auth);
    expect(res.status).toBe(200);
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.headers["cache-control"]).toBe("no-store");
    // Plain http: HSTS would mean nothing.
    expect(res.headers["strict-transport-security"]).toBeUndefined();
  });

  test("behind a TLS-terminating proxy on this host, HSTS is sent", async () => {
    const res = await request(t.appWith({ trustProxy: "loopback" })).get("/healthz").set("X-Forwarded-Proto", "https");
    expect(res.headers["strict-transport-security"]).toMatch(/max-age=31536000/);
  });

  test("/docs has its own CSP with no inline script and does not keep a pasted token", async () => {
    const page = await request(t.app).get("/docs");
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    const init = await request(t.app).get("/docs/init.js");
    expect(init.text).toContain("persistAuthorization: false");
  });
});

describe("/metrics", () => {
  test("answers this host only, or whoever has METRICS_TOKEN", async () => {
    expect((await request(t.app).get("/metrics")).status).toBe(200);
    const guarded = t.appWith({ metricsToken: "a-metrics-token-of-16+" });
    expect((await request(guarded).get("/metrics")).status).toBe(404);
    expect((await request(guarded).get("/metrics").set("Authorization", "Bearer wrong-token-xxxxxxxx")).status).toBe(404);
    const ok = await request(guarded).get("/metrics").set("Authorization", "Bearer a-metrics-token-of-16+");
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("http_request_duration_seconds");
  });
});

