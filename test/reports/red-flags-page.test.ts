import request from "supertest";
import { addDays, todayInChina } from "../../api/core/dates";
import { browserTest, withBrowserPage } from "../helpers/browser";
import { courtWithStaff, newKey, receive } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { fundedCase } from "../payouts/payout-helpers";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const today = todayInChina();
const FROM = "2024-03-01";

/** A court with money held past its date and a receipt its recorder reversed. */
async function courtWithTwoFlags(prefix: string) {
  const s = await courtWithStaff(t, prefix);
  const overdue = await fundedCase(t, s, "7000.00", FROM);
  const own = await receive(t, s.finance, overdue.id, "500.00", addDays(today, -2));
  const res = await request(t.app).post(`/v1/receipts/${own.id}/reverse`).set(s.finance.auth).set("Idempotency-Key", newKey()).send({ reason: "录入错误" });
  expect(res.status).toBe(200);
  const c = await request(t.app).get(`/v1/cases/${overdue.id}`).set(s.inspector.auth);
  return { s, caseNumber: c.body.caseNumber as string };
}

const pagePath = (q: Record<string, string>) => `/v1/reports/red-flags.html?${new URLSearchParams(q).toString()}`;

describe("the red flags as a printable page for the inspection file", () => {
  test("names the court and period, counts the flags by kind, lists each with its case number, and cites the court's audit chain head", async () => {
    const { s, caseNumber } = await courtWithTwoFlags("RP");
    const res = await request(t.app).get(pagePath({ courtId: s.court.id, from: FROM, to: today })).set(s.inspector.auth);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(res.text).not.toMatch(/<script/i);
    expect(res.text).toContain(`<html lang="zh-CN">`);
    expect(res.text).toContain(`期间：${FROM} 至 ${today}`);
    expect(res.text).toContain("共提示风险2条：超期未发放1条，登记人自行冲销1条。");
    expect(res.text.match(/<tr data-kind="overdue_held">/g)).toHaveLength(1);
    expect(res.text.match(/<tr data-kind="receipt_reversed_by_recorder">/g)).toHaveLength(1);
    expect(res.text).toContain(`案件 ${caseNumber}`);
    expect(res.text).toContain("7,000.00");
    // The same flags as the JSON.
    const json = await request(t.app).get("/v1/reports/red-flags").query({ courtId: s.court.id, from: FROM, to: today }).set(s.inspector.auth);
    for (const f of json.body.flags as { explanation: { zh: string } }[]) expect(res.text).toContain(f.explanation.zh);
    const head = await t.db.knex("audit_heads").where({ chain: s.court.id }).first();
    expect(res.text).toContain(head.hash);
    // An approver reads it too.
    expect((await request(t.app).get(pagePath({ courtId: s.court.id, from: FROM, to: today })).set(s.approver.auth)).status).toBe(200);
  });

  test("another court's page is 404 for this court's inspector; a clerk is refused (403); a format or a reversed period is a 400", async () => {
    const { s } = await courtWithTwoFlags("RQ");
    const other = await courtWithStaff(t, "RW");
    expectProblem(await request(t.app).get(pagePath({ courtId: other.court.id, from: FROM, to: today })).set(s.inspector.auth), 404, "not_found");
    expectProblem(await request(t.app).get(pagePath({ courtId: s.court.id, from: FROM, to: today })).set(s.clerk.auth), 403, "forbidden");
    expectProblem(await request(t.app).get(pagePath({ courtId: s.court.id, from: FROM, to: today, format: "csv" })).set(s.inspector.auth), 400, "validation_failed");
    expectProblem(await request(t.app).get(pagePath({ courtId: s.court.id, from: today, to: FROM })).set(s.inspector.auth), 400, "validation_failed");
  });

  test("a court with nothing to flag prints a page that says so", async () => {
    const s = await courtWithStaff(t, "RN");
    const res = await request(t.app).get(pagePath({ courtId: s.court.id, from: FROM, to: today })).set(s.inspector.auth);
    expect(res.status).toBe(200);
    expect(res.text).toContain("共提示风险0条：无。");
    expect(res.text).toContain("<p>无 None</p>");
  });

  browserTest("red-flags-page.test.ts")("renders in headless Chromium with nothing fetched from outside", async () => {
    const { s } = await courtWithTwoFlags("RH");
    await withBrowserPage(t.app, async ({ page, base, external, pageErrors }) => {
      await page.setExtraHTTPHeaders(s.inspector.auth);
      const response = await page.goto(base + pagePath({ courtId: s.court.id, from: FROM, to: today }), { waitUntil: "load" });
      expect(response?.status()).toBe(200);
      expect(await page.locator("#summary").textContent()).toBe("共提示风险2条：超期未发放1条，登记人自行冲销1条。");
      expect(await page.locator("#flags tbody tr").count()).toBe(2);
      expect(external).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
});
