import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { artifactsDir, browserTest, withBrowserPage } from "../helpers/browser";
import { courtWithStaff, createCase, getCase } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { act, approved, draft, fundedCase, type Staff } from "../payouts/payout-helpers";
import { ensureWebBuild, signInWithToken } from "./web-build";

/**
 * Each role's main journey on the real pages, served by the real app over a test database; the
 * data is built through the API and every outcome is checked through the API as well.
 */
const haveBuild = ensureWebBuild("journeys.test.ts");
const journey = haveBuild ? browserTest("journeys.test.ts") : test.skip;

let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t);
  fs.mkdirSync(artifactsDir, { recursive: true });
});
afterAll(async () => {
  await t.close();
});

const shot = (name: string) => path.join(artifactsDir, `web-${name}.png`);

async function ledgerOf(caseId: string) {
  const res = await request(t.app).get(`/v1/cases/${caseId}/ledger`).set(s.clerk.auth);
  expect(res.status).toBe(200);
  return res.body.data as { kind: string; amount: string }[];
}

describe("the clerk", () => {
  journey("records a receipt on the case page and sees the held balance change", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    await withBrowserPage(t.app, async ({ page, base, external, pageErrors }) => {
      await signInWithToken(page, base, s.clerk.token, s.clerk.name);
      await page.getByRole("heading", { name: "案件" }).waitFor();
      await page.getByText(String(c.caseNumber)).waitFor();
      await page.screenshot({ path: shot("clerk-home"), fullPage: false });

      await page.goto(`${base}/cases/${c.id}`);
      await page.getByTestId("held").filter({ hasText: "0.00 元" }).waitFor();
      await page.getByRole("button", { name: "登记到账" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("到账金额").fill("12345.60");
      await dialog.getByLabel("银行流水号").fill("BANK-REF-1");
      // Enter submits the daily form.
      await dialog.getByLabel("到账金额").press("Enter");
      await page.getByTestId("held").filter({ hasText: "12,345.60 元" }).waitFor({ timeout: 15_000 });
      await page.getByText("到账").first().waitFor();
      expect(pageErrors).toEqual([]);
      expect(external).toEqual([]);
    });
    const after = await getCase(t, s.clerk, c.id);
    expect(after.balances.held).toBe("12345.60");
    expect(after.balances.received).toBe("12345.60");
    expect((await ledgerOf(c.id)).map((e) => [e.kind, e.amount])).toEqual([["receipt", "12345.60"]]);
  });

  journey("a bad amount (1e3, 10.005, -5, 1,000, 0, a blank) is refused on the page and nothing is posted", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    await withBrowserPage(t.app, async ({ page, base }) => {
      const posted: string[] = [];
      page.on("request", (r) => {
        if (r.method() === "POST" && r.url().includes("/receipts")) posted.push(r.postData() ?? "");
      });
      await signInWithToken(page, base, s.clerk.token, s.clerk.name);
      await page.goto(`${base}/cases/${c.id}`);
      await page.getByRole("button", { name: "登记到账" }).click();
      const dialog = page.getByRole("dialog");
      const amount = dialog.getByLabel("到账金额");
      for (const [bad, why] of [
        ["1e3", "科学计数法"],
        ["10.005", "最多两位小数"],
        ["-5", "正负号"],
        ["1,000", "千分位"],
        ["0", "必须大于 0"],
        [" 5", "空格"],
      ]) {
        await amount.fill(bad);
        await dialog.getByRole("button", { name: "登记到账" }).click();
        await dialog.locator(".ant-form-item-explain-error").filter({ hasText: why }).waitFor({ timeout: 5000 });
      }
      await page.waitForTimeout(300);
      expect(posted).toEqual([]);
    });
    expect(await ledgerOf(c.id)).toEqual([]);
    expect((await getCase(t, s.clerk, c.id)).balances.received).toBe("0.00");
  });

  journey("when the session ends mid-form, a sign-in dialog opens over it and the typed receipt is sent once, with the same Idempotency-Key", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    await withBrowserPage(t.app, async ({ page, base }) => {
      const keys: string[] = [];
      let refused = false;
      await page.route("**/v1/cases/*/receipts", async (route) => {
        keys.push(route.request().headers()["idempotency-key"] ?? "");
        if (!refused) {
          refused = true; // the server forgot the session: 401 once
          await route.fulfill({ status: 401, contentType: "application/problem+json", body: JSON.stringify({ type: "about:blank", title: "Authentication is required", status: 401, detail: "The token is not valid", code: "unauthorized" }) });
        } else await route.continue();
      });
      await signInWithToken(page, base, s.clerk.token, s.clerk.name);
      await page.goto(`${base}/cases/${c.id}`);
      await page.getByRole("button", { name: "登记到账" }).click();
      const receipt = page.getByRole("dialog").filter({ hasText: "登记到账 ·" });
      await receipt.getByLabel("到账金额").fill("777.77");
      await receipt.getByRole("button", { name: "登记到账" }).click();

      const signIn = page.getByRole("dialog").filter({ hasText: "登录已失效" });
      await signIn.waitFor();
      expect(await receipt.getByLabel("到账金额").inputValue()).toBe("777.77");
      await signIn.getByRole("tab", { name: "使用令牌登录" }).click();
      await signIn.getByLabel("访问令牌").fill(s.clerk.token);
      await signIn.getByRole("button", { name: "登录", exact: true }).last().click();
      await page.getByTestId("held").filter({ hasText: "777.77 元" }).waitFor({ timeout: 15_000 });
      expect(keys).toHaveLength(2);
      expect(keys[1]).toBe(keys[0]);
      expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });
    expect((await ledgerOf(c.id)).map((e) => e.amount)).toEqual(["777.77"]);
  });
});

describe("the approver", () => {
  journey("rejects a submitted batch with a reason from the queue", async () => {
    const c = await fundedCase(t, s, "5000.00");
    const b = await draft(t, s, [{ caseId: c.id, partyId: c.applicantId, amount: "3000.00" }]);
    expect((await act(t, s.clerk, b.id, "submit")).status).toBe(200);
    await withBrowserPage(t.app, async ({ page, base, pageErrors }) => {
      await signInWithToken(page, base, s.approver.token, s.approver.name);
      await page.getByRole("heading", { name: "审批待办" }).waitFor();
      const row = page.getByRole("row").filter({ hasText: b.id.slice(0, 8) });
      await row.waitFor();
      await page.screenshot({ path: shot("approver-home") });
      await row.getByRole("button", { name: "退回" }).click();
      const dialog = page.getByRole("dialog").filter({ hasText: "退回发放批次" });
      await dialog.getByLabel("退回理由").fill("收款人账户信息待核实");
      await dialog.getByRole("button", { name: "退回" }).click();
      await page.getByText("批次已退回").waitFor();
      await row.waitFor({ state: "detached" });
      expect(pageErrors).toEqual([]);
    });
    const after = await request(t.app).get(`/v1/payout-batches/${b.id}`).set(s.approver.auth);
    expect(after.body).toMatchObject({ status: "rejected", rejectReason: "收款人账户信息待核实", rejectedBy: s.approver.id });
    expect((await getCase(t, s.clerk, c.id)).balances.reserved).toBe("0.00");
  });

  journey("a four-eyes refusal is explained in Chinese", async () => {
    const both = await t.user(["clerk", "approver"], [s.court.id]);
    const c = await fundedCase(t, s, "100.00");
    const b = await draft(t, s, [{ caseId: c.id, partyId: c.applicantId, amount: "100.00" }], both);
    expect((await act(t, both, b.id, "submit")).status).toBe(200);
    await withBrowserPage(t.app, async ({ page, base }) => {
      await signInWithToken(page, base, both.token, both.name);
      await page.goto(`${base}/batches/${b.id}`);
      await page.getByRole("button", { name: "批准" }).click();
      await page.getByRole("tooltip").getByRole("button", { name: "批准" }).click();
      await page.getByText("四眼原则").first().waitFor();
      await page.locator('[data-code="same_person"]').waitFor();
    });
    expect((await request(t.app).get(`/v1/payout-batches/${b.id}`).set(s.approver.auth)).body.status).toBe("submitted");
  });
});

describe("finance", () => {
  journey("downloads the payment file of an approved batch and records that every item was paid", async () => {
    const c = await fundedCase(t, s, "8000.00");
    const b = await approved(t, s, [{ caseId: c.id, partyId: c.applicantId, amount: "8000.00" }]);
    await withBrowserPage(t.app, async ({ page, base, pageErrors }) => {
      await signInWithToken(page, base, s.finance.token, s.finance.name);
      await page.getByRole("heading", { name: "待支付批次" }).waitFor();
      const row = page.getByRole("row").filter({ hasText: b.id.slice(0, 8) });
      await row.waitFor();
      await page.screenshot({ path: shot("finance-home") });
      await row.getByRole("button", { name: "办理支付" }).click();
      await page.getByTestId("batch-status").filter({ hasText: "已审批待支付" }).waitFor();

      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "下载支付文件" }).click()]);
      const file = fs.readFileSync((await download.path())!, "utf8");
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      expect(file.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe("itemId,payeeName,bankName,accountName,accountNumber,amount,currency,caseNumber,reference,nameMismatch");
      expect(file).toContain("6228480123456789012"); // the full account number is only in this file
      expect(file).toContain("8000.00");

      await page.getByRole("button", { name: "登记支付结果" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "确认登记" }).click();
      await page.getByTestId("batch-status").filter({ hasText: "已支付" }).waitFor({ timeout: 15_000 });
      expect(pageErrors).toEqual([]);
    });
    const after = await request(t.app).get(`/v1/payout-batches/${b.id}`).set(s.finance.auth);
    expect(after.body.status).toBe("executed");
    expect(after.body.items.map((i: { status: string }) => i.status)).toEqual(["paid"]);
    const cs = await getCase(t, s.clerk, c.id);
    expect(cs.balances).toMatchObject({ disbursed: "8000.00", held: "0.00", reserved: "0.00" });
    const audit = await request(t.app).get("/v1/audit-events").query({ entityId: b.id }).set(t.admin.auth);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining([expect.stringMatching(/payment[-_]file/)]));
  });
});

describe("every role finds its own home page and menu", () => {
  journey("the list officer opens the listings, overdue first; the admin the users", async () => {
    const officer = await t.user(["list_officer"], [s.court.id], "赵名单");
    await withBrowserPage(t.app, async ({ page, base }) => {
      await signInWithToken(page, base, officer.token, officer.name);
      await page.getByRole("heading", { name: "失信名单" }).waitFor();
      await page.getByRole("tab", { name: "逾期未删除" }).waitFor();
      expect(await page.getByRole("menuitem").allTextContents()).toEqual(["失信名单", "冻结到期", "案件", "巡察问题整改"]);
      await page.screenshot({ path: shot("list-officer-home") });
    });
    await withBrowserPage(t.app, async ({ page, base }) => {
      await signInWithToken(page, base, t.admin.token, t.admin.name);
      await page.getByRole("heading", { name: "用户" }).waitFor();
      await page.screenshot({ path: shot("admin-home") });
      // A new user with a username gets a one-time password to hand over (round 2 sign-in).
      await page.getByRole("tab", { name: "新建用户" }).click();
      await page.getByLabel("用户名").fill("xin.zhixing");
      await page.getByLabel("姓名").fill("新执行员");
      await page.getByRole("checkbox", { name: "执行员" }).check();
      await page.getByRole("button", { name: "创建用户" }).click();
      const password = (await page.getByTestId("one-time-secret").textContent()) ?? "";
      expect(password).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
      const signedIn = await request(t.app).post("/v1/sessions").send({ username: "xin.zhixing", password });
      expect(signedIn.status).toBe(201);
      expect(signedIn.body).toMatchObject({ mustChangePassword: true, user: { name: "新执行员", roles: ["clerk"] } });
      await page.getByRole("button", { name: "我已交给本人" }).click();
      // Switched off from the list: her session fails at once.
      await page.getByRole("tab", { name: "用户列表" }).click();
      await page.getByRole("row", { name: /xin\.zhixing/ }).getByRole("button", { name: "停用" }).click();
      await page.getByRole("button", { name: "确 定" }).or(page.getByRole("button", { name: "确定" })).or(page.getByRole("button", { name: "OK" })).first().click();
      await page.getByRole("row", { name: /xin\.zhixing/ }).waitFor({ state: "detached", timeout: 20_000 });
      expect((await request(t.app).get("/v1/users/me").set("Authorization", `Bearer ${signedIn.body.token}`)).status).toBe(401);
    });
  });
});
