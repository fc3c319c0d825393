import path from "node:path";
import fs from "node:fs";
import request from "supertest";
import { artifactsDir, browserTest, withBrowserPage } from "../helpers/browser";
import { courtWithStaff, createCase, receive } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { addDays, todayInChina } from "../../api/core/dates";
import { ensureWebBuild, signInWithToken } from "./web-build";

/** The inspection team's work in the workbench: the court answers a finding, the inspector closes it. */
const haveBuild = ensureWebBuild("inspections.test.ts");
const journey = haveBuild ? browserTest("inspections.test.ts") : test.skip;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  fs.mkdirSync(artifactsDir, { recursive: true });
});
afterAll(async () => {
  await t.close();
});

describe("a finding from the inspection team, followed to the end in the workbench", () => {
  journey("the finance officer answers the finding with a completed rectification; the inspector verifies it and the ledger counts it resolved", async () => {
    const s = await courtWithStaff(t);
    const c = await createCase(t, s.clerk, s.court.id);
    const today = todayInChina();
    const insp = (await request(t.app).post("/v1/inspections").set(s.inspector.auth).send({ courtId: s.court.id, name: "市委第十一巡察组进驻江华法院", from: addDays(today, -10), to: addDays(today, 30) })).body;
    const finding = await request(t.app)
      .post(`/v1/inspections/${insp.id}/findings`)
      .set(s.inspector.auth)
      .send({ category: "overdue_funds", description: "案款到账超过30日未发放", severity: "high", entities: [{ type: "case", id: c.id }], foundOn: addDays(today, -5), rectifyBy: addDays(today, 20) });
    expect(finding.status).toBe(201);

    await withBrowserPage(t.app, async ({ page, base, pageErrors, external }) => {
      await signInWithToken(page, base, s.finance.token, s.finance.name);
      await page.goto(`${base}/rectifications`);
      await page.getByRole("heading", { name: "巡察问题整改" }).waitFor();
      await page.getByText("案款到账超过30日未发放").waitFor();
      await page.getByRole("button", { name: "整改答复" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("整改情况").fill("案款已发放至申请人账户");
      await dialog.getByLabel("佐证材料").fill("发放批次凭证");
      await dialog.getByLabel("整改完成日期").fill(today);
      // The date last: Enter takes the typed date and submits the form (Enter submits every dialog).
      await dialog.getByLabel("整改完成日期").press("Enter");
      await page.locator("[data-status=rectified]").waitFor({ timeout: 20_000 });
      expect(pageErrors).toEqual([]);
      expect(external).toEqual([]);
    });
    expect((await t.db.knex("findings").where({ id: finding.body.id }).first()).status).toBe("rectified");

    await withBrowserPage(t.app, async ({ page, base, pageErrors, external }) => {
      await signInWithToken(page, base, s.inspector.token, s.inspector.name);
      await page.goto(`${base}/inspections`);
      await page.getByRole("heading", { name: "巡察整改" }).waitFor();
      await page.getByRole("button", { name: "核 查" }).or(page.getByRole("button", { name: "核查" })).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("核查意见").fill("经核对发放凭证，整改到位");
      await dialog.getByRole("button", { name: "确 定" }).or(dialog.getByRole("button", { name: "确定" })).click();
      await page.locator("[data-status=verified]").waitFor({ timeout: 20_000 });
      await page.getByTestId("ledger-totals").getByText("已销号").waitFor();
      await dialog.waitFor({ state: "hidden" });
      await page.screenshot({ path: path.join(artifactsDir, "web-inspections.png"), fullPage: true });
      await page.getByRole("button", { name: "打印版" }).click();
      await page.frameLocator("[data-testid=printable]").getByText("共发现问题1个，已整改销号1个，超期未整改0个").waitFor({ timeout: 20_000 });
      expect(pageErrors).toEqual([]);
      expect(external).toEqual([]);
    });
    const stored = await t.db.knex("findings").where({ id: finding.body.id }).first();
    expect(stored).toMatchObject({ status: "verified", verified_by: s.inspector.id });
    const events = await t.db.knex("audit_events").where({ entity_type: "finding", entity_id: finding.body.id }).orderBy("seq");
    expect(events.map((e) => e.action)).toEqual(["finding.created", "finding.rectification_recorded", "finding.verified"]);
  });

  journey("a clerk records a visit, sees the complainant's name masked, and answers it", async () => {
    const s = await courtWithStaff(t);
    await withBrowserPage(t.app, async ({ page, base, pageErrors, external }) => {
      await signInWithToken(page, base, s.clerk.token, s.clerk.name);
      await page.goto(`${base}/complaints`);
      await page.getByRole("heading", { name: "来信来访" }).waitFor();
      await page.getByRole("button", { name: "登记来信来访" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("来信来访人").fill("黄秀英");
      await dialog.getByLabel("联系方式").fill("13807461234");
      await dialog.getByLabel("反映问题").fill("执行款到账两个月仍未发放");
      await dialog.getByRole("button", { name: "确 定" }).or(dialog.getByRole("button", { name: "确定" })).click();
      await page.getByRole("cell", { name: "黄**" }).waitFor({ timeout: 20_000 });
      await page.getByRole("cell", { name: "****1234" }).waitFor();
      await page.getByRole("button", { name: "答 复" }).or(page.getByRole("button", { name: "答复" })).click();
      const reply = page.getByRole("dialog");
      await reply.getByLabel("答复内容").fill("已督促发放，当日到账");
      await reply.getByRole("button", { name: "确 定" }).or(reply.getByRole("button", { name: "确定" })).click();
      await page.locator("[data-status=replied]").waitFor({ timeout: 20_000 });
      expect(pageErrors).toEqual([]);
      expect(external).toEqual([]);
    });
    const stored = await t.db.knex("complaints").where({ court_id: s.court.id });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ complainant_name: "黄秀英", contact: "13807461234", status: "replied", outcome: "已督促发放，当日到账" });
  });

  journey("the inspector accepts a proposal from the data, records a finding by hand from the form, and sees the red flag of the overdue money", async () => {
    const s = await courtWithStaff(t);
    const c = await createCase(t, s.clerk, s.court.id, { adjudicatedAmount: "9000.00" });
    await receive(t, s.clerk, c.id, "5000.00", "2024-03-01");
    const handCase = await createCase(t, s.clerk, s.court.id);
    const today = todayInChina();
    const insp = (await request(t.app).post("/v1/inspections").set(s.inspector.auth).send({ courtId: s.court.id, name: "市委第十一巡察组进驻江华法院", from: "2024-03-01", to: today })).body;

    await withBrowserPage(t.app, async ({ page, base, pageErrors, external }) => {
      await signInWithToken(page, base, s.inspector.token, s.inspector.name);
      await page.goto(`${base}/inspections`);
      await page.getByRole("heading", { name: "巡察整改" }).waitFor();
      const proposals = page.getByTestId("proposals");
      await proposals.getByText("无经批准的延期发放").waitFor({ timeout: 20_000 });
      await proposals.getByRole("button", { name: "采纳", exact: true }).or(proposals.getByRole("button", { name: "采 纳", exact: true })).click();
      const accept = page.getByRole("dialog");
      await accept.getByLabel("整改期限").fill(addDays(today, 30));
      await accept.getByLabel("整改期限").press("Enter");
      await page.locator("[data-status=open]").waitFor({ timeout: 20_000 });
      await proposals.getByText("暂无系统提示的问题").waitFor({ timeout: 20_000 });
      await accept.waitFor({ state: "hidden" });

      await page.getByRole("button", { name: "登记问题" }).click();
      const form = page.getByRole("dialog");
      await form.getByLabel("问题类别").click();
      await page.locator(".ant-select-item-option").filter({ hasText: "其他" }).click();
      await form.getByLabel("问题描述").fill("执行卷宗未按规定归档");
      await form.getByLabel("关联案号").fill(String(handCase.caseNumber));
      // The responsible person is picked from the court's staff by name, not typed as an id.
      await form.getByLabel("责任人 Responsible").click();
      await page.locator(".ant-select-item-option").filter({ hasText: s.clerk.name }).click();
      await form.getByLabel("整改期限").fill(addDays(today, 20));
      await form.getByLabel("整改期限").press("Enter");
      await page.getByRole("cell", { name: "执行卷宗未按规定归档" }).waitFor({ timeout: 20_000 });
      await form.waitFor({ state: "hidden" });
      await page.screenshot({ path: path.join(artifactsDir, "web-inspections-proposals.png"), fullPage: true });

      await page.goto(`${base}/reports/red-flags`);
      await page.getByRole("heading", { name: "风险提示" }).waitFor();
      await page.getByText("无经批准的延期发放").first().waitFor({ timeout: 20_000 });
      await page.screenshot({ path: path.join(artifactsDir, "web-red-flags.png"), fullPage: true });
      // The printable page for the inspection file, in a sandboxed frame with its print button.
      await page.getByRole("button", { name: "打印版" }).click();
      const printable = page.frameLocator("[data-testid=printable]");
      await printable.getByText("超期未发放1条").first().waitFor({ timeout: 20_000 });
      await page.getByRole("dialog").getByRole("button", { name: /^打\s?印$/ }).waitFor();
      await page.screenshot({ path: path.join(artifactsDir, "web-red-flags-printable.png"), fullPage: true });
      expect(pageErrors).toEqual([]);
      expect(external).toEqual([]);
    });
    const findings = await t.db.knex("findings").where({ inspection_id: insp.id }).orderBy("created_at");
    expect(findings.map((f) => [f.category, f.status])).toEqual([
      ["overdue_funds", "open"],
      ["other", "open"],
    ]);
    expect(findings[0].entities[0]).toEqual({ type: "case", id: c.id });
    expect(findings[1]).toMatchObject({ description: "执行卷宗未按规定归档", entities: [{ type: "case", id: handCase.id }], rectify_by: addDays(today, 20), found_on: today, severity: "medium", responsible_user_id: s.clerk.id });
    const decision = await t.db.knex("finding_proposal_decisions").where({ court_id: s.court.id }).first();
    expect(decision).toMatchObject({ decision: "accepted", finding_id: findings[0].id, key: `overdue_funds:case:${c.id}` });
  });
});
