import request from "supertest";
import { addDays, todayInChina } from "../../api/core/dates";
import { browserTest, withBrowserPage } from "../helpers/browser";
import { courtWithStaff } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { act, draft, fundedCase, type Staff } from "../payouts/payout-helpers";
import { ensureWebBuild, signInWithToken } from "./web-build";

/**
 * Issue 14 on the real pages: the approver's queue with approval levels (a batch above the court's
 * threshold takes two approvers) and a deferral rejected with a reason; the clerk's case page shows
 * what the debtor owes (民诉法第264条 doubled interest). Outcomes are checked through the API.
 */
const haveBuild = ensureWebBuild("rules.test.ts");
const journey = haveBuild ? browserTest("rules.test.ts") : test.skip;

let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "WR");
  const set = await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ approvalLevels: [{ above: "100000.00", levels: 2 }] });
  expect(set.status).toBe(200);
});
afterAll(async () => {
  await t.close();
});

describe("the approver's queue with levels", () => {
  journey("approves level 1 of a 2-level batch, sees it wait for level 2 as her own, and rejects a deferral with a reason", async () => {
    const c = await fundedCase(t, s, "300000.00");
    const b = await draft(t, s, [{ caseId: c.id, partyId: c.applicantId, amount: "300000.00" }]);
    expect((await act(t, s.clerk, b.id, "submit")).status).toBe(200);
    const d = await request(t.app).post(`/v1/cases/${c.id}/deferrals`).set(s.clerk.auth).send({ reason: "applicant_unreachable", until: addDays(todayInChina(), 20) });
    expect(d.status).toBe(201);

    await withBrowserPage(t.app, async ({ page, base, pageErrors }) => {
      await signInWithToken(page, base, s.approver.token, s.approver.name);
      await page.getByRole("heading", { name: "审批待办" }).waitFor();
      const row = page.getByRole("row").filter({ hasText: b.id.slice(0, 8) });
      await row.getByText("第 1 级 / 共 2 级").waitFor();
      await row.getByRole("button", { name: "批准" }).click();
      await page.getByRole("tooltip").getByRole("button", { name: "批准" }).click();
      await page.getByText("已完成第 1 级审批").waitFor();
      await row.getByText("第 2 级 / 共 2 级").waitFor();
      await row.getByText("本人事项").waitFor();

      const deferralRow = page.getByRole("row").filter({ hasText: "申请执行人无法联系" }).first();
      await deferralRow.getByRole("button", { name: "不予批准" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("理由").fill("已联系上申请执行人");
      await dialog.getByRole("button", { name: "确定" }).click();
      await page.getByText("已驳回延缓发放申请").waitFor();
      expect(pageErrors).toEqual([]);
    });
    const batch = await request(t.app).get(`/v1/payout-batches/${b.id}`).set(s.approver.auth);
    expect(batch.body).toMatchObject({ status: "submitted", requiredApprovals: 2, approvals: [{ level: 1, approvedBy: s.approver.id }] });
    const deferrals = await request(t.app).get("/v1/deferrals").query({ caseId: c.id }).set(s.clerk.auth);
    expect(deferrals.body.data[0]).toMatchObject({ status: "rejected", rejectReason: "已联系上申请执行人", rejectedBy: s.approver.id });
  });
});

describe("the clerk's case page", () => {
  journey("shows what the debtor owes, with the doubled interest line", async () => {
    const c = await fundedCase(t, s, "0", "2024-03-01", { filedOn: "2024-01-05", adjudicatedAmount: "100000.00" });
    await t.db.knex("cases").where({ id: c.id }).update({ perform_by: "2024-03-10" });
    await withBrowserPage(t.app, async ({ page, base, pageErrors }) => {
      await signInWithToken(page, base, s.clerk.token, s.clerk.name);
      await page.goto(`${base}/cases/${c.id}`);
      const card = page.getByTestId("amount-owed");
      await card.getByText("应履行合计").waitFor();
      await card.getByText("2024-03-11").waitFor();
      expect(pageErrors).toEqual([]);
    });
    const owed = await request(t.app).get(`/v1/cases/${c.id}/amount-owed`).set(s.clerk.auth);
    expect(owed.body.basis[0]).toMatchObject({ from: "2024-03-11", principalBase: "100000.00" });
  });
});

describe("the admin's court rules", () => {
  journey("sets a local disbursement deadline of 10 working days in the court rules dialog", async () => {
    const other = await courtWithStaff(t, "WA");
    await withBrowserPage(t.app, async ({ page, base, pageErrors }) => {
      await signInWithToken(page, base, t.admin.token, t.admin.name);
      await page.goto(`${base}/admin/courts`);
      const row = page.getByRole("row").filter({ hasText: other.court.code });
      await row.getByRole("button", { name: "本院规则" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("button", { name: "添加一档" }).click();
      await dialog.getByLabel("天数").fill("10");
      await dialog.getByRole("button", { name: "确定" }).click();
      await page.getByText("本院规则已保存").waitFor();
      expect(pageErrors).toEqual([]);
    });
    const court = await request(t.app).get(`/v1/courts/${other.court.id}`).set(t.admin.auth);
    expect(court.body.settings.disbursementDeadlines).toEqual([{ days: 10, kind: "working" }]);
  });
});
