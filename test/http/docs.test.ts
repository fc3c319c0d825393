import { once } from "node:events";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium } from "playwright-core";
import request from "supertest";
import { startTestApp, type TestApp } from "../helpers/test-app";

/**
 * The court's network has no CDN and no internet: /docs must render from the app alone.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** The src/href of every script, stylesheet, icon and preload in a page. */
function referencedAssets(html: string): string[] {
  const tags = html.match(/<(script|link|img|iframe)\b[^>]*>/gi) ?? [];
  return tags.flatMap((tag) => [...tag.matchAll(/\b(?:src|href)\s*=\s*["']([^"']*)["']/gi)].map((m) => m[1]));
}

describe("the API reference page", () => {
  test("/docs is an HTML page whose scripts and styles are all served by this app", async () => {
    const res = await request(t.app).get("/docs");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    const assets = referencedAssets(res.text);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      // Local absolute paths only: no scheme, no protocol-relative //host.
      expect({ asset, local: /^\/(?!\/)/.test(asset) }).toEqual({ asset, local: true });
    }
    expect(res.text).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });

  test("every asset the page references is served, with the right content type", async () => {
    const page = await request(t.app).get("/docs");
    for (const asset of referencedAssets(page.text)) {
      const res = await request(t.app).get(asset);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
      const expected = asset.endsWith(".css") ? /^text\/css/ : asset.endsWith(".js") ? /javascript/ : /./;
      expect(res.headers["content-type"]).toMatch(expected);
      expect(Number(res.headers["content-length"] ?? res.text?.length ?? 0)).toBeGreaterThan(0);
    }
  });

  test("the start-up script reads the contract from this app and calls no external validator", async () => {
    const res = await request(t.app).get("/docs/init.js");
    expect(res.status).toBe(200);
    expect(res.text).toContain('url: "/openapi.json"');
    expect(res.text).toContain("validatorUrl: null");
    expect(res.text).not.toMatch(/https?:\/\//);
  });

  test("asset paths cannot climb out of the asset folder", async () => {
    for (const probe of ["/docs/assets/../package.json", "/docs/assets/%2e%2e/%2e%2e/package.json", "/docs/assets/..%2f..%2fpackage.json"]) {
      const res = await request(t.app).get(probe);
      expect(res.text).not.toContain('"court-enforcement-funds"');
      expect(res.status).not.toBe(200);
    }
  });
});

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`docs.test.ts: SKIPPING the headless browser check of /docs: ${CHROMIUM} is missing (apt-get install chromium)`);
}
const browserTest = haveChromium ? test : test.skip;

describe("the API reference in a real browser with no network", () => {
  browserTest("Swagger UI renders every operation of the contract, and the page asks for nothing outside the app", async () => {
    const server = http.createServer(t.app).listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const external: string[] = [];
      const local: string[] = [];
      const pageErrors: string[] = [];
      page.on("pageerror", (err) => pageErrors.push(err.message));
      await page.route("**/*", async (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === "127.0.0.1" || url.hostname === "localhost") {
          local.push(url.pathname);
          await route.continue();
        } else {
          external.push(url.href);
          await route.abort("blockedbyclient");
        }
      });
      // Anything that bypasses routing (a websocket, a beacon) would still show up here.
      page.on("request", (req) => {
        const url = new URL(req.url());
        if (/^(https?|wss?):$/.test(url.protocol) && url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
          if (!external.includes(url.href)) external.push(url.href);
        }
      });

      await page.goto(`http://127.0.0.1:${port}/docs`, { waitUntil: "load" });
      await page.getByText("Create a court (admin)").first().waitFor({ state: "visible", timeout: 30000 });

      const summaries = await page.locator(".opblock-summary-description").allTextContents();
      const contract = (await request(t.app).get("/openapi.json")).body as { paths: Record<string, Record<string, { summary?: string }>> };
      const operations = Object.values(contract.paths).flatMap((item) =>
        Object.entries(item).filter(([method]) => ["get", "put", "post", "delete", "patch"].includes(method)).map(([, op]) => op),
      );
      expect(await page.locator(".opblock").count()).toBe(operations.length);
      const documented = operations.flatMap((op) => (op.summary ? [op.summary] : []));
      expect([...summaries].sort()).toEqual([...documented].sort());
      expect(await page.locator(".info .title").first().textContent()).toContain("Court enforcement funds tracker");

      const artifacts = path.join(__dirname, "..", "..", "test-artifacts");
      fs.mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: path.join(artifacts, "docs.png"), fullPage: true });

      expect(local).toEqual(expect.arrayContaining(["/docs", "/openapi.json"]));
      expect(pageErrors).toEqual([]);
      expect(external).toEqual([]);
    } finally {
      await browser.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
