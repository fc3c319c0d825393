import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { artifactsDir, browserTest, withBrowserPage } from "../helpers/browser";
import { courtWithStaff } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { act, draft, fundedCase, type Staff } from "../payouts/payout-helpers";
import { ensureWebBuild, signInWithToken } from "./web-build";

/**
 * Issue 12's journey: a clerk corrects a case with a reason and sees it in the case's history;
 * she records a lawyer as the applicant's agent, an approver approves him from the queue, and a
 * batch paying the law firm's account shows the name-mismatch flag before approval.
 */
const haveBuild = ensureWebBuild("corrections.test.ts");
const journey = haveBuild ? browserTest("corrections.test.ts") : test.skip;

let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "W");
  fs.mkdirSync(artifactsDir, { recursive: true });
});
afterAll(async () => {
  await t.close();
});

const shot = (name: string) => path.join(artifactsDir, `web-${name}.png`);

describe("corrections, agents and the name check in the workbench", () => {
  journey("the clerk corrects a case with a reason, records an agent; the approver approves him and sees the name-mismatch flag", async () => {
    const c = await fundedCase(t, s, "5000.00");
    await withBrowserPage(t.app, async ({ page, base, pageErrors }) => {
      await signInWithToken(page, base, s.clerk.token, s.clerk.name);
      await page.goto(`${base}/cases/${c.id}`);
      await page.getByRole("button", { name: "更正案件信息" }).click();
      let dialog = page.getByRole("dialog");
      await dialog.getByLabel("案由").fill("民间借贷纠纷");
      await dialog.getByRole("button", { name: "保存更正" }).click();
      // The reason is required: the form says so and nothing is sent.
      await dialog.getByText("请填写更正原因").waitFor();
      await dialog.getByLabel("更正原因（必填，记入审计日志）").fill("立案登记表抄录错误");
      await dialog.getByRole("button", { name: "保存更正" }).click();
      await page.getByText("案件信息已更正").waitFor();
      await page.getByTestId("case-history").getByText("更正案件信息").waitFor();
      await page.getByTestId("case-history").getByText("原因：立案登记表抄录错误").waitFor();

      await page.getByRole("button", { name: "登记代理人" }).click();
      dialog = page.getByRole("dialog");
      await dialog.getByLabel("代理人姓名").fill("王律师");
      await dialog.getByLabel("律师事务所").fill("湖南某律师事务所");
      await dialog.getByLabel("授权委托书编号").fill("授字第2024-018号");
      await dialog.getByRole("checkbox", { name: "特别授权：代为领取执行款" }).check();
      await dialog.getByLabel("开户行").fill("中国工商银行长沙分行");
      await dialog.getByLabel("户名").fill("湖南某律师事务所");
      await dialog.getByLabel("账号").fill("1901000011112222333");
      // The date last: Enter takes the typed date and submits the form (Enter submits every dialog).
      await dialog.getByLabel("签署日期").fill("2024-03-01");
      await dialog.getByLabel("签署日期").press("Enter");
      await page.getByText("代理人已登记").waitFor();
      await page.getByText("待审批").first().waitFor();
      await page.screenshot({ path: shot("i12-case-corrected"), fullPage: true });
      expect(pageErrors).toEqual([]);
    });
    const corrected = await request(t.app).get(`/v1/cases/${c.id}`).set(s.clerk.auth);
    expect(corrected.body.cause).toBe("民间借贷纠纷");
    const agents = await request(t.app).get("/v1/agents").query({ caseId: c.id }).set(s.clerk.auth);
    expect(agents.body.data).toHaveLength(1);
    const agent = agents.body.data[0];
    expect(agent).toMatchObject({ name: "王律师", specialAuthority: true, status: "pending", authorityDocument: { number: "授字第2024-018号", signedOn: "2024-03-01" } });

    await withBrowserPage(t.app, async ({ page, base, pageErrors }) => {
      await signInWithToken(page, base, s.approver.token, s.approver.name);
      await page.goto(`${base}/approvals`);
      const queue = page.getByTestId("agents-queue");
      await queue.getByText("王律师").waitFor();
      await queue.getByRole("button", { name: "批准" }).click();
      await page.getByRole("button", { name: "批准" }).last().click();
      await page.getByText("已批准代理人 王律师").waitFor();
      expect(pageErrors).toEqual([]);
    });
    expect((await t.db.knex("party_agents").where({ id: agent.id }).first()).status).toBe("approved");

    const b = await draft(t, s, [{ caseId: c.id, partyId: c.applicantId, agentId: agent.id, amount: "3000.00" }]);
    expect((await act(t, s.clerk, b.id, "submit")).status).toBe(200);
    await withBrowserPage(t.app, async ({ page, base, pageErrors }) => {
      await signInWithToken(page, base, s.approver.token, s.approver.name);
      await page.goto(`${base}/approvals`);
      await page.getByTestId("queue-name-mismatch").filter({ hasText: "户名不符 1 笔" }).waitFor();
      await page.goto(`${base}/batches/${b.id}`);
      await page.getByTestId("name-mismatch-alert").waitFor();
      await page.getByTestId("name-mismatch").waitFor();
      await page.getByText("代理人").first().waitFor();
      await page.screenshot({ path: shot("i12-batch-name-mismatch"), fullPage: true });
      expect(pageErrors).toEqual([]);
    });
  });
});
