import request from "supertest";
import { browserTest, withBrowserPage } from "../helpers/browser";
import { courtWithStaff, receive } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { fundedCase, type Staff } from "../payouts/payout-helpers";
import { ensureWebBuild, signInWithToken } from "./web-build";

/**
 * Issue 14 on the real pages: the admin sets the court's fee account (诉讼费专户) and turns on the
 * execution fee; the clerk's payout form then offers 执行费 (诉讼费用交纳办法 art. 14, borne by the
 * debtor art. 38); the held-funds report shows both deadlines (款物规定 30 days, the local one).
 * Outcomes are checked through the API.
 */
const haveBuild = ensureWebBuild("execution-fee.test.ts");
const journey = haveBuild ? browserTest("execution-fee.test.ts") : test.skip;

const FEE = { bankName: "中国农业银行江华支行", accountName: "江华县人民法院诉讼费专户", accountNumber: "43050101040088888" };

let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "WF");
});
afterAll(async () => {
  await t.close();
});

describe("执行费 from the court rules to the payout form", () => {
  journey("the admin sets the fee account and turns the fee on; the clerk drafts a 执行费 item for the court's fee account", async () => {
    await withBrowserPage(t.app, async ({ page, base, pageErrors }) => {
      await signInWithToken(page, base, t.admin.token, t.admin.name);
      await page.goto(`${base}/admin/courts`);
      const row = page.getByRole("row").filter({ hasText: s.court.code });
      await row.getByRole("button", { name: "本院规则" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("switch").click();
      await dialog.getByLabel("专户开户行").fill(FEE.bankName);
      await dialog.getByLabel("专户户名").fill(FEE.accountName);
      await dialog.getByLabel("专户账号").fill(FEE.accountNumber);
      await dialog.getByRole("button", { name: "确定" }).click();
      await page.getByText("本院规则已保存").waitFor();
      expect(pageErrors).toEqual([]);
    });
    const court = await request(t.app).get(`/v1/courts/${s.court.id}`).set(t.admin.auth);
    expect(court.body.settings).toMatchObject({ chargeExecutionFee: true, feeAccount: FEE });

    const c = await fundedCase(t, s, "5050.00", "2024-03-01", { adjudicatedAmount: "5000.00" }); // fee 50.00
    await withBrowserPage(t.app, async ({ page, base, pageErrors }) => {
      await signInWithToken(page, base, s.clerk.token, s.clerk.name);
      await page.goto(`${base}/cases/${c.id}`);
      await page.getByTestId("fee-paid-out").waitFor();
      await page.getByRole("button", { name: "拟制发放批次" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("收款人（申请执行人，账户以备案为准）").click();
      await page.locator(".ant-select-item-option").filter({ hasText: "执行费" }).click();
      await dialog.getByLabel("发放金额（元）").fill("50.01");
      await dialog.getByText("超过本案未缴执行费 50.00 元").waitFor();
      await dialog.getByLabel("发放金额（元）").fill("50.00");
      await dialog.getByRole("button", { name: "生成批次" }).click();
      await page.getByText("发放批次已生成并提交审批").waitFor();
      expect(pageErrors).toEqual([]);
    });
    const batches = await request(t.app).get("/v1/payout-batches").query({ courtId: s.court.id }).set(s.clerk.auth);
    const batch = await request(t.app).get(`/v1/payout-batches/${batches.body.data[0].id}`).set(s.clerk.auth);
    expect(batch.body).toMatchObject({ status: "submitted" });
    expect(batch.body.items).toEqual([expect.objectContaining({ kind: "execution_fee", partyId: null, amount: "50.00", caseId: c.id, payee: expect.objectContaining({ accountName: FEE.accountName }) })]);
  });
});

describe("the held-funds report", () => {
  journey("shows both deadlines and which one the money is past", async () => {
    const h = await courtWithStaff(t, "WH");
    expect((await request(t.app).patch(`/v1/courts/${h.court.id}`).set(t.admin.auth).send({ disbursementDeadlines: [{ days: 10, kind: "calendar" }] })).status).toBe(200);
    const old = await fundedCase(t, h, "0");
    const recent = await fundedCase(t, h, "0");
    await receive(t, h.clerk, old.id, "300.00", "2024-03-01"); // local 03-11, statutory 03-31
    await receive(t, h.clerk, recent.id, "200.00", "2024-03-20"); // local 03-30, statutory 04-19
    await withBrowserPage(t.app, async ({ page, base, pageErrors }) => {
      await signInWithToken(page, base, h.approver.token, h.approver.name);
      await page.goto(`${base}/reports/held-funds`);
      await page.getByRole("heading", { name: "在账款账龄" }).waitFor();
      await page.getByPlaceholder("请选择日期").first().click();
      await page.getByPlaceholder("请选择日期").first().fill("2024-04-05");
      await page.keyboard.press("Enter");
      await page.getByTestId("past-local-only").waitFor();
      await page.getByTestId("past-statutory").getByText("超法定期限 5 天").waitFor();
      await page.getByText("2024-04-19").waitFor();
      await page.getByTestId("overdue-by-deadline").getByText("仅超本院期限").first().waitFor();
      expect(pageErrors).toEqual([]);
    });
    const r = await request(t.app).get("/v1/reports/held-funds").query({ courtId: h.court.id, asOf: "2024-04-05" }).set(h.approver.auth);
    expect(r.body.totals.overdueByDeadline).toEqual({ localOnly: { amount: "200.00", receipts: 1, cases: 1 }, statutory: { amount: "300.00", receipts: 1, cases: 1 } });
  });
});
