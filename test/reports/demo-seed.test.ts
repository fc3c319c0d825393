import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { artifactsDir, browserTest, withBrowserPage } from "../helpers/browser";
import { seedDemo, type DemoSeedResult } from "../../scripts/demo/demo";
import { loadConfig } from "../../api/config";
import { createLogger } from "../../api/logger";
import { expectBalancesEqualJournal } from "../helpers/ledger-invariants";
import { startTestApp, type TestApp } from "../helpers/test-app";

let t: TestApp;
let demo: DemoSeedResult;
beforeAll(async () => {
  t = await startTestApp();
  demo = await seedDemo({ knex: t.db.knex, config: loadConfig({ NODE_ENV: "test" }), logger: createLogger("silent") });
}, 180_000);
afterAll(async () => {
  await t.close();
});

const token = (role: string) => ({ Authorization: `Bearer ${demo.users.find((u) => u.role === role)!.token}` });

describe("the demo holds the inspection team's work (issue 15)", () => {
  test("an inspection of the county court with findings in every state and letters and visits, shown by the rectification ledger", async () => {
    const list = await request(t.app).get("/v1/inspections").query({ courtId: demo.courts.jh }).set(token("inspector"));
    expect(list.body.data).toHaveLength(1);
    const ledger = await request(t.app).get("/v1/reports/rectification").query({ inspectionId: list.body.data[0].id }).set(token("inspector"));
    expect(ledger.status).toBe(200);
    expect(ledger.body.totals).toEqual({ total: 6, open: 2, rectifying: 1, rectified: 1, verified: 1, reopened: 1, overdue: 1 });
    expect(ledger.body.complaints).toEqual({ received: 3, replied: 1, overdue: 1 });
  });
});

describe("the demo shows red flags and findings proposed from the data (issue 15)", () => {
  test("the county court's red flags since 2024 are the few the story means, not noise; the inspection's proposals are there to see", async () => {
    const to = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const flags = await request(t.app).get("/v1/reports/red-flags").query({ courtId: demo.courts.jh, from: "2024-01-01", to }).set(token("inspector"));
    expect(flags.status).toBe(200);
    // Batches are approved hours or a day after submission, except the one waved through in four minutes.
    expect(flags.body.counts).toEqual({
      payout_after_account_change: 1,
      account_name_mismatch: 0,
      unentitled_payout: 0,
      overdue_held: 9,
      receipt_reversed_by_recorder: 1,
      batch_approved_quickly: 1,
    });
    type Flag = { kind: string; on: string; amount: string | null; explanation: { zh: string }; records: { type: string; id: string }[] };
    const byKind = (kind: string) => (flags.body.flags as Flag[]).filter((f) => f.kind === kind);
    // The returned transfer of 2024-03-20, paid again on 2024-04-02 to the account changed on 2024-03-28.
    const [afterChange] = byKind("payout_after_account_change");
    expect(afterChange.on).toBe("2024-04-02");
    expect(afterChange.explanation.zh).toContain("2024-03-28批准");
    // That repayment travelled in the batch approved four minutes after it was submitted, the day before.
    const [quick] = byKind("batch_approved_quickly");
    expect(quick.on).toBe("2024-04-01");
    expect(quick.explanation.zh).toContain("4.0分钟");
    const batchOf = (f: Flag) => f.records.find((r) => r.type === "batch")?.id;
    expect(batchOf(quick)).toBeDefined();
    expect(batchOf(afterChange)).toBe(batchOf(quick));
    // The neighbouring court's batch is approved at a human pace too.
    const lx = await request(t.app).get("/v1/reports/red-flags").query({ courtId: demo.courts.lx, from: "2024-01-01", to }).set(token("inspector"));
    expect(lx.body.counts.batch_approved_quickly).toBe(0);
    const list = await request(t.app).get("/v1/inspections").query({ courtId: demo.courts.jh }).set(token("inspector"));
    const proposals = await request(t.app).get(`/v1/inspections/${list.body.data[0].id}/proposals`).set(token("inspector"));
    expect(proposals.status).toBe(200);
    const categories = new Set(proposals.body.data.map((p: { category: string }) => p.category));
    expect(categories).toEqual(new Set(["overdue_funds", "listing_not_removed"]));
  });
});

describe("the demo reproduces the newspaper's figures", () => {
  test("the county court disbursed 10.73 million yuan in 284 cases from 11 March to 23 April 2024", async () => {
    const res = await request(t.app).get(demo.reportPath).set(token("inspector"));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      cases: 284,
      total: "10730000.00",
      display: { millionYuan: "10.73", wanYuan: "1073.00" },
      summary: { en: "284 cases, 10.73M yuan disbursed", zh: "共发放执行案款1073万元，涉及案件284件" },
    });
    expect(res.body.payouts).toBeGreaterThan(284);
    expect(res.body.timeliness.over30Days).toBeGreaterThan(0);
    expect(res.body.timeliness.within30Days).toBeGreaterThan(res.body.timeliness.over30Days);
  });

  test("both courts together, and the days just outside the period, show more and less", async () => {
    const both = await request(t.app).get("/v1/reports/disbursements").query({ from: "2024-03-11", to: "2024-04-23" }).set(token("inspector"));
    expect(both.body.byCourt.map((c: { courtCode: string; cases: number }) => [c.courtCode, c.cases])).toEqual([
      ["JH", 284],
      ["LX", 20],
    ]);
    const wider = await request(t.app).get("/v1/reports/disbursements").query({ from: "2024-03-08", to: "2024-04-24", courtId: demo.courts.jh }).set(token("inspector"));
    expect(wider.body.cases).toBe(284 + 6 + 5);
  });

  test("the demo's books balance, money is held and overdue, and the audit chain verifies", async () => {
    for (const courtId of Object.values(demo.courts)) {
      const r = await request(t.app).get("/v1/reconciliation").query({ courtId }).set(token("finance"));
      expect(r.body.difference).toBe("0.00");
    }
    const held = await request(t.app).get("/v1/reports/held-funds").query({ courtId: demo.courts.jh }).set(token("inspector"));
    expect(held.body.totals.overdueCases).toBeGreaterThanOrEqual(4);
    const verify = await request(t.app).get("/v1/audit-events/verify").set(token("inspector"));
    expect(verify.body.ok).toBe(true);
    await expectBalancesEqualJournal(t.db.knex);
  });
});

describe("the printable page for the inspection file", () => {
  test("carries the summary sentences, a chart of the months, and the audit chain's head hash", async () => {
    const res = await request(t.app).get(demo.reportPath.replace("disbursements?", "disbursements.html?")).set(token("inspector"));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(res.text).toContain("共发放执行案款1073万元，涉及案件284件");
    expect(res.text).toContain("284 cases, 10.73M yuan disbursed");
    expect(res.text).not.toMatch(/<script/i);
    // The page names the demo court's own chain head: the paper is tied to that court's records.
    const head = await t.db.knex("audit_heads").where({ chain: demo.courts.jh }).first();
    expect(res.text).toContain(head.hash);
    expect(res.text.match(/<rect /g)).toHaveLength(2); // March and April 2024
  });

  browserTest("demo-seed.test.ts")("renders in headless Chromium with nothing fetched from outside, and a screenshot is kept", async () => {
    await withBrowserPage(t.app, async ({ page, base, external, pageErrors }) => {
      await page.setExtraHTTPHeaders(token("inspector"));
      const response = await page.goto(base + demo.reportPath.replace("disbursements?", "disbursements.html?"), { waitUntil: "load" });
      expect(response?.status()).toBe(200);
      expect(await page.locator("#summary-zh").textContent()).toBe("共发放执行案款1073万元，涉及案件284件");
      expect(await page.locator("#summary-en").textContent()).toBe("284 cases, 10.73M yuan disbursed");
      const bars = await page.locator("svg rect").evaluateAll((rects) => rects.map((r) => (r as SVGRectElement).getBBox().height));
      expect(bars).toHaveLength(2);
      expect(bars.every((h) => h > 0)).toBe(true);
      fs.mkdirSync(artifactsDir, { recursive: true });
      const shot = path.join(artifactsDir, "disbursement-report.png");
      await page.screenshot({ path: shot, fullPage: true });
      expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
      expect(external).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
});
