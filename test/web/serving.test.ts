import fs from "node:fs";
import path from "node:path";
import express from "express";
import request from "supertest";
import { webRouter, WORKBENCH_CSP } from "../../api/http/web";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { ensureWebBuild, webDist } from "./web-build";

const haveBuild = ensureWebBuild("serving.test.ts");
const webTest = haveBuild ? test : test.skip;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"; // what Chromium sends

describe("the workbench page is served only to a browser asking for HTML", () => {
  webTest("GET / and a deep link answer the page, no-cache, with the strict CSP and no inline script", async () => {
    for (const p of ["/", "/cases/3f1e8a52-7c1d-4c55-9d0a-0b6f2c1e9a10", "/reports/disbursements?from=2024-03-11&to=2024-04-23"]) {
      const res = await request(t.app).get(p).set("Accept", HTML);
      expect({ p, status: res.status }).toEqual({ p, status: 200 });
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.headers["cache-control"]).toBe("no-cache");
      expect(res.headers["content-security-policy"]).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      );
      expect(res.text).toContain('<div id="root">');
      const scripts = res.text.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const s of scripts) expect(s).toMatch(/^<script\b[^>]*\bsrc="\/assets\/[^"]+\.js"[^>]*><\/script>$/);
    }
    expect(WORKBENCH_CSP).not.toContain("'unsafe-eval'");
  });

  webTest("without an explicit text/html (curl's */*, fetch's nothing, JSON clients) / is the JSON 404 it always was", async () => {
    for (const accept of [undefined, "*/*", "application/json", "application/problem+json"]) {
      const req = request(t.app).get("/");
      const res = accept ? await req.set("Accept", accept) : await req;
      expect({ accept, status: res.status, type: res.headers["content-type"] }).toEqual({ accept, status: 404, type: expect.stringMatching(/^application\/problem\+json/) });
      expect(res.body.code).toBe("not_found");
    }
  });

  webTest("API paths keep their JSON answers even when a browser asks for HTML", async () => {
    const unknown = await request(t.app).get("/v1/no-such-thing").set("Accept", HTML);
    expect(unknown.status).toBe(404);
    expect(unknown.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const me = await request(t.app).get("/v1/users/me").set("Accept", HTML);
    expect(me.status).toBe(401);
    expect(me.body.code).toBe("unauthorized");
    const ok = await request(t.app).get("/v1/users/me").set(t.admin.auth).set("Accept", HTML);
    expect(ok.status).toBe(200);
    expect(ok.body.id).toBe(t.admin.id);
    const post = await request(t.app).post("/").set("Accept", HTML).send({});
    expect(post.status).toBe(404);
    expect(post.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  webTest("/docs, /openapi.json, /metrics and /healthz are unchanged", async () => {
    const docs = await request(t.app).get("/docs").set("Accept", HTML);
    expect(docs.status).toBe(200);
    expect(docs.text).toContain("swagger-ui");
    expect(docs.text).not.toContain('<div id="root">');
    const spec = await request(t.app).get("/openapi.json").set("Accept", HTML);
    expect(spec.status).toBe(200);
    expect(spec.headers["content-type"]).toMatch(/^application\/json/);
    expect(spec.body.paths["/v1/sessions"].post.operationId).toBe("createSession");
    const metrics = await request(t.app).get("/metrics").set("Accept", HTML);
    expect(metrics.status).toBe(200);
    expect(metrics.headers["content-type"]).toMatch(/^text\/plain/);
    const health = await request(t.app).get("/healthz").set("Accept", HTML);
    expect(health.body).toEqual({ status: "ok" });
  });

  webTest("hashed assets are cached for a year; a missing asset is a JSON 404, not the page", async () => {
    const page = await request(t.app).get("/").set("Accept", HTML);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)![1];
    const res = await request(t.app).get(asset);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/javascript/);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const missing = await request(t.app).get("/assets/no-such-file-0000.js").set("Accept", HTML);
    expect(missing.status).toBe(404);
    expect(missing.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const climb = await request(t.app).get("/assets/..%2f..%2fpackage.json");
    expect(climb.text).not.toContain('"court-enforcement-funds"');
  });

  webTest("the build targets Chrome 87 and puts no inline script in the page", () => {
    const html = fs.readFileSync(path.join(webDist, "index.html"), "utf8");
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).toContain('lang="zh-CN"');
  });
});

describe("without a build, the app serves the API alone", () => {
  test("webRouter over an empty folder passes everything on", async () => {
    const app = express();
    app.use(webRouter(path.join(__dirname, "no-such-dist")));
    app.use((_req, res) => {
      res.status(404).json({ code: "not_found" });
    });
    const res = await request(app).get("/").set("Accept", HTML);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
  });
});
