import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { seedDemo, type DemoSeedResult } from "../../scripts/demo/demo";
import { loadConfig } from "../../api/config";
import { createLogger } from "../../api/logger";
import { artifactsDir, browserTest, withBrowserPage } from "../helpers/browser";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { ensureWebBuild, signInWithToken } from "./web-build";

/** The inspection team's journey on the demo county court: the 284-case report and the audit check. */
const haveBuild = ensureWebBuild("inspector.test.ts");
const journey = haveBuild ? browserTest("inspector.test.ts") : test.skip;

let t: TestApp;
let demo: DemoSeedResult;
beforeAll(async () => {
  t = await startTestApp();
  if (haveBuild) demo = await seedDemo({ knex: t.db.knex, config: loadConfig({ NODE_ENV: "test" }), logger: createLogger("silent") });
  fs.mkdirSync(artifactsDir, { recursive: true });
}, 180_000);
afterAll(async () => {
  await t.close();
});

describe("the inspector", () => {
  journey("opens the disbursement report for 11 March – 23 April 2024, downloads it and its proof pack, verifies the pack, prints it, and verifies the audit chain", async () => {
    const inspector = demo.users.find((u) => u.role === "inspector")!;
    const me = (await request(t.app).get("/v1/users/me").set("Authorization", `Bearer ${inspector.token}`)).body as { name: string };
    const verify = (await request(t.app).get("/v1/audit-events/verify").query({ courtId: demo.courts.jh }).set("Authorization", `Bearer ${inspector.token}`)).body as { ok: boolean; head: string };
    await withBrowserPage(t.app, async ({ page, base, external, pageErrors }) => {
      await signInWithToken(page, base, inspector.token, me.name);
      await page.getByRole("heading", { name: "案款发放报表" }).waitFor();
      await page.goto(`${base}/reports/disbursements?from=2024-03-11&to=2024-04-23&courtId=${demo.courts.jh}`);
      await page.getByTestId("summary-zh").filter({ hasText: "共发放执行案款1073万元，涉及案件284件" }).waitFor({ timeout: 20_000 });
      expect(await page.getByTestId("summary-en").textContent()).toBe("284 cases, 10.73M yuan disbursed");
      await page.getByText("10,730,000.00 元").first().waitFor();
      await page.locator("svg[aria-label='按月发放金额'] rect").first().waitFor();
      expect(await page.locator("svg[aria-label='按月发放金额'] rect").count()).toBe(2); // March and April
      await page.getByText("逾期未发放（截至 2024-04-23）").waitFor();
      await page.screenshot({ path: path.join(artifactsDir, "web-inspector-home.png"), fullPage: true });

      const [xlsx] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "下载 Excel" }).click()]);
      expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
      expect(fs.readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe("PK");
      const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "下载 CSV" }).click()]);
      expect(csv.suggestedFilename()).toMatch(/\.csv$/);

      // The proof pack (证据包): download it, upload it again — it matches; a pack with its fingerprint
      // changed is refused; after a payout's account is edited behind the application's back, verify
      // names that row.
      const [packFile] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "下载证据包" }).click()]);
      expect(packFile.suggestedFilename()).toBe("证据包_2024-03-11_2024-04-23.json");
      const packPath = path.join(artifactsDir, "web-inspector-proof-pack.json");
      await packFile.saveAs(packPath);
      const pack = JSON.parse(fs.readFileSync(packPath, "utf8")) as { scope: { payouts: number; total: string }; rows: { rowId: string; kind: string; itemId: string }[]; fingerprint: string };
      expect(pack.scope.total).toBe("10730000.00");
      expect(pack.rows.filter((r) => r.kind === "payout")).toHaveLength(pack.scope.payouts);
      await page.getByRole("button", { name: "校验证据包" }).click();
      await page.getByTestId("proof-file").setInputFiles(packPath);
      await page.getByRole("button", { name: "开始校验" }).click();
      await page.getByTestId("proof-result").filter({ hasText: "证据包与当前数据一致：指纹相符" }).waitFor({ timeout: 20_000 });

      const forgedPath = path.join(artifactsDir, "web-inspector-proof-pack-forged.json");
      fs.writeFileSync(forgedPath, JSON.stringify({ ...pack, fingerprint: "0".repeat(64) }));
      await page.getByTestId("proof-file").setInputFiles(forgedPath);
      await page.getByRole("button", { name: "开始校验" }).click();
      await page.locator("[role=alert][data-code=proof_pack_invalid]").filter({ hasText: "证据包与自身不符" }).waitFor({ timeout: 20_000 });

      const altered = pack.rows.find((r) => r.kind === "payout")!;
      await t.db.knex.transaction(async (tx) => {
        await tx.raw("SET LOCAL session_replication_role = replica");
        await tx.raw("UPDATE payout_items SET payee_bank_name = payee_bank_name || '（改）' WHERE id = ?", [altered.itemId]);
      });
      await page.getByTestId("proof-file").setInputFiles(packPath);
      await page.getByRole("button", { name: "开始校验" }).click();
      await page.getByTestId("proof-result").filter({ hasText: "证据包与当前数据不一致：1 处不同" }).waitFor({ timeout: 20_000 });
      await page.getByRole("dialog").getByText(altered.itemId).waitFor();
      await page.getByRole("dialog").getByText("已被改动").waitFor();
      await page.screenshot({ path: path.join(artifactsDir, "web-inspector-proof-verify.png") });
      await page.getByRole("dialog").getByRole("button", { name: "关闭" }).last().click();

      await page.getByRole("button", { name: "打印版" }).click();
      const frame = page.frameLocator("[data-testid=printable]");
      await frame.getByText("共发放执行案款1073万元，涉及案件284件").first().waitFor({ timeout: 20_000 });
      expect(await page.getByTestId("printable").getAttribute("sandbox")).toBe("allow-same-origin allow-modals");
      await page.getByRole("dialog").getByRole("button", { name: "关闭" }).last().click();

      await page.goto(`${base}/audit`);
      await page.getByRole("button", { name: "校验哈希链" }).click();
      await page.getByTestId("verify-result").filter({ hasText: "哈希链完整" }).waitFor({ timeout: 30_000 });
      // One chain per court: the demo court's own head is shown among them.
      expect(await page.locator(`[data-chain="${demo.courts.jh}"] [data-testid=head-hash]`).textContent()).toContain(verify.head);
      await page.screenshot({ path: path.join(artifactsDir, "web-inspector-audit.png") });
      expect(pageErrors).toEqual([]);
      expect(external).toEqual([]);
    });
  });
});
