import fs from "node:fs";
import path from "node:path";
import { artifactsDir, browserTest, withBrowserPage } from "../helpers/browser";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { userWithPassword } from "../users/sign-in-helpers";
import { ensureWebBuild } from "./web-build";

/** Password sign-in in the browser: the one-time password, the forced change, working, signing out. */
const haveBuild = ensureWebBuild("sign-in.test.ts");
const journey = haveBuild ? browserTest("sign-in.test.ts") : test.skip;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  fs.mkdirSync(artifactsDir, { recursive: true });
});
afterAll(async () => {
  await t.close();
});

journey("a clerk made by the admin signs in with her one-time password, must change it, sees her cases, and signs out", async () => {
  const court = await t.court();
  const u = await userWithPassword(t, ["clerk"], [court.id], "zhang.clerk");
  await withBrowserPage(t.app, async ({ page, base, external, pageErrors }) => {
    await page.goto(`${base}/`);
    await page.getByLabel("用户名").fill("zhang.clerk");
    await page.getByLabel("密码", { exact: true }).fill(u.initialPassword);
    await page.getByRole("button", { name: "登录", exact: true }).first().click();

    // The forced change: the old password, a new one twice.
    await page.getByLabel("当前密码（初始密码）").waitFor({ timeout: 20_000 });
    await page.getByLabel("当前密码（初始密码）").fill(u.initialPassword);
    await page.getByLabel("新密码", { exact: true }).fill("江华执行局-新口令-2026");
    await page.getByLabel("再次输入新密码").fill("江华执行局-新口令-2026");
    await page.getByRole("button", { name: "修改密码" }).click();
    await page.getByLabel("当前密码（初始密码）").waitFor({ state: "detached", timeout: 20_000 });
    await page.getByTestId("user-menu").waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(artifactsDir, "web-sign-in-clerk-home.png") });

    const row = await t.db.knex("users").where({ id: u.id }).first();
    expect(row.must_change_password).toBe(false);
    const sessions = await t.db.knex("sessions").where({ user_id: u.id });
    expect(sessions).toHaveLength(1);

    await page.getByTestId("user-menu").click();
    await page.getByText("退出登录").click();
    await page.getByLabel("用户名").waitFor({ timeout: 20_000 });
    const ended = await t.db.knex("sessions").where({ user_id: u.id }).first();
    expect(ended.end_reason).toBe("signed_out");
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
