import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { loadConfig } from "../../api/config";
import { createLogger } from "../../api/logger";
import { seedDemo, type DemoSeedResult } from "../../scripts/demo/demo";
import { demoStatement } from "../../scripts/demo/demo-statement";
import { artifactsDir, browserTest, withBrowserPage } from "../helpers/browser";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { ensureWebBuild, signInWithToken } from "./web-build";

/** Finance's morning (issue 13): import the bank's statement, claim what came in unidentified, reconcile. */
const haveBuild = ensureWebBuild("money-in.test.ts");
const journey = haveBuild ? browserTest("money-in.test.ts") : test.skip;

let t: TestApp;
let demo: DemoSeedResult;
beforeAll(async () => {
  t = await startTestApp();
  if (haveBuild) demo = await seedDemo({ knex: t.db.knex, config: loadConfig({ NODE_ENV: "test" }), logger: createLogger("silent") });
  fs.mkdirSync(artifactsDir, { recursive: true });
}, 240_000);
afterAll(() => t.close());

describe("finance", () => {
  journey("uploads the county court's statement, sees what matched, claims the unidentified payment, and the reconciliation agrees", async () => {
    const finance = demo.users.find((u) => u.role === "finance")!;
    const me = (await request(t.app).get("/v1/users/me").set("Authorization", `Bearer ${finance.token}`)).body as { name: string };
    const { file } = await demoStatement(t.db.knex, demo.courts.jh);
    const filePath = path.join(artifactsDir, "demo-statement-abc.csv");
    fs.writeFileSync(filePath, file);
    await withBrowserPage(t.app, async ({ page, base, pageErrors }) => {
      await signInWithToken(page, base, finance.token, me.name);
      await page.goto(`${base}/finance/statements`);
      await page.getByRole("heading", { name: "导入银行对账单" }).waitFor();
      // The chooser speaks Chinese, not the browser's "Choose File", and names the file chosen.
      await page.getByRole("button", { name: "选择文件 · Choose file" }).waitFor();
      expect(await page.getByTestId("statement-file-name").innerText()).toContain("未选择文件");
      await page.getByTestId("statement-file").setInputFiles(filePath);
      expect(await page.getByTestId("statement-file-name").innerText()).toBe("demo-statement-abc.csv");
      await page.getByRole("button", { name: "导入" }).click();
      await page.getByTestId("import-title").filter({ hasText: "导入完成" }).waitFor({ timeout: 20_000 });
      const counts = await page.getByTestId("import-counts").innerText();
      expect(counts).toContain("已匹配入账");
      await page.getByText("不明款", { exact: true }).first().waitFor();
      expect(await page.locator("td").filter({ hasText: "已入账" }).count()).toBe(3);
      await page.screenshot({ path: path.join(artifactsDir, "web-finance-statement.png"), fullPage: true });

      await page.goto(`${base}/finance/unidentified`);
      await page.getByRole("heading", { name: "不明款认领" }).waitFor();
      await page.getByRole("button", { name: "认领" }).first().click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("案号").fill("(2024)湘1129执103号");
      await dialog.getByLabel("认领依据").fill("付款人来电说明");
      await dialog.getByRole("button", { name: "认领" }).click();
      await page.getByText("已认领至 (2024)湘1129执103号").waitFor({ timeout: 20_000 });

      await page.goto(`${base}/finance/reconciliation`);
      await page.getByTestId("ledger-difference").filter({ hasText: "0.00" }).waitFor({ timeout: 20_000 });
      expect(await page.getByTestId("statement-difference").innerText()).toContain("0.00");
      await page.screenshot({ path: path.join(artifactsDir, "web-finance-reconciliation.png"), fullPage: true });
      expect(pageErrors).toEqual([]);
    });
    const funds = await request(t.app).get("/v1/unidentified-funds").query({ courtId: demo.courts.jh, status: "claimed" }).set("Authorization", `Bearer ${finance.token}`);
    expect(funds.body.data).toHaveLength(1);
  });
});
