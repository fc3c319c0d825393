import { once } from "node:events";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Express } from "express";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const haveChromium = fs.existsSync(CHROMIUM);

/** A browser test runs where Debian's chromium is installed, and says loudly when it is skipped. */
export function browserTest(file: string): jest.It {
  if (!haveChromium) {
    console.warn(`${file}: SKIPPING the headless browser check: ${CHROMIUM} is missing (apt-get install chromium)`);
    return test.skip;
  }
  return test;
}

export const artifactsDir = path.join(__dirname, "..", "..", "test-artifacts");

/**
 * Serves the app on a loopback port and opens a headless Chromium whose requests may reach only
 * that server: anything else is blocked and recorded in `external`.
 */
export async function withBrowserPage<T>(app: Express, work: (ctx: { page: Page; base: string; external: string[]; pageErrors: string[] }) => Promise<T>): Promise<T> {
  const server = http.createServer(app).listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
    const external: string[] = [];
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));
    await page.route("**/*", async (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === "127.0.0.1" || url.hostname === "localhost") await route.continue();
      else {
        external.push(url.href);
        await route.abort("blockedbyclient");
      }
    });
    // A failed journey leaves a picture of the page and the API answers it saw, for whoever reads CI.
    const answers: string[] = [];
    page.on("response", (r) => {
      if (new URL(r.url()).pathname.startsWith("/v1/")) answers.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    try {
      return await work({ page, base: `http://127.0.0.1:${port}`, external, pageErrors });
    } catch (err) {
      const dir = path.join(__dirname, "..", "..", "test-artifacts");
      fs.mkdirSync(dir, { recursive: true });
      const name = `failed-${Date.now()}`;
      await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true }).catch(() => undefined);
      fs.writeFileSync(path.join(dir, `${name}.txt`), `${String(err)}\n\nAPI answers:\n${answers.slice(-30).join("\n")}\n`);
      process.stderr.write(`browser journey failed: see test-artifacts/${name}.png and .txt; last API answers:\n${answers.slice(-10).join("\n")}\n`);
      throw err;
    }
  } finally {
    await browser?.close();
    server.closeAllConnections();
    server.close();
  }
}
