import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";

export const webDist = path.join(__dirname, "..", "..", "web", "dist");

let built: boolean | undefined;

/**
 * The browser tests need web/dist. `npm ci` builds it (prepare); a fresh checkout without it gets
 * it built here once per test file (~3 s). If the build cannot run, the tests say so loudly and skip.
 */
export function ensureWebBuild(file: string): boolean {
  if (built !== undefined) return built;
  if (!fs.existsSync(path.join(webDist, "index.html"))) {
    console.warn(`${file}: web/dist is missing: building the workbench (npm run build:web)`);
    const run = spawnSync("npm", ["run", "build:web"], { cwd: path.join(__dirname, "..", ".."), stdio: "pipe", encoding: "utf8", timeout: 180_000 });
    if (run.status !== 0) console.warn(`${file}: SKIPPING the workbench tests: the web build failed:\n${run.stdout}\n${run.stderr}`);
  }
  built = fs.existsSync(path.join(webDist, "index.html"));
  return built;
}

/** Signs in on the page with a bearer token ("使用令牌登录") and waits for the workbench. */
export async function signInWithToken(page: Page, base: string, token: string, name: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole("tab", { name: "使用令牌登录" }).click();
  await page.getByLabel("访问令牌").fill(token);
  await page.getByRole("button", { name: "登录", exact: true }).last().click();
  await page.getByTestId("user-menu").filter({ hasText: name }).waitFor({ timeout: 20_000 });
}
