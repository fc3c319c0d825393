import { fetchWorkbook } from "../helpers/xlsx";
import fc from "fast-check";
import request from "supertest";
import { MoneyDecimal } from "../../api/core/money";
import { summarise } from "../../api/reports/disbursements-service";
import { courtWithStaff, createCase, receive } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { approved, execute, executed, fundedCase, item, returnItem, type Staff } from "../payouts/payout-helpers";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

function report(s: Staff, query: Record<string, string>, user = s.inspector) {
  return request(t.app).get("/v1/reports/disbursements").query({ courtId: s.court.id, ...query }).set(user.auth);
}

describe("the figures an inspector reads", () => {
  test("a payout on `from` and one on `to` count; the day before and the day after do not", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "1000.00", "2024-01-20");
    for (const paidOn of ["2024-03-10", "2024-03-11", "2024-04-23", "2024-04-24"]) await executed(t, s, [item(c, "100.00")], paidOn);
    const res = await report(s, { from: "2024-03-11", to: "2024-04-23" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cases: 1, payouts: 2, total: "200.00" });
    expect(res.body.byMonth).toEqual([
      { month: "2024-03", cases: 1, payouts: 1, total: "100.00" },
      { month: "2024-04", cases: 1, payouts: 1, total: "100.00" },
    ]);
    expect(res.body.byCourt).toEqual([{ courtId: s.court.id, courtCode: s.court.code, courtName: s.court.name, cases: 1, payouts: 2, total: "200.00" }]);
  });

  test("net of returns: a payout returned by the end of the period does not count, one returned later does", async () => {
    const s = await courtWithStaff(t);
    const a = await fundedCase(t, s, "500.00", "2024-01-20");
    const b = await fundedCase(t, s, "500.00", "2024-01-20");
    const batch = await executed(t, s, [item(a, "300.00"), item(b, "200.00")], "2024-03-15");
    const [ia, ib] = batch.items;
    expect((await returnItem(t, s.finance, batch.id, ia.id, { returnedOn: "2024-03-20", reason: "account closed" })).status).toBe(200);
    expect((await returnItem(t, s.finance, batch.id, ib.id, { returnedOn: "2024-05-02", reason: "name mismatch" })).status).toBe(200);

    const march = await report(s, { from: "2024-03-01", to: "2024-03-31" });
    expect(march.body).toMatchObject({ cases: 1, payouts: 1, total: "200.00" });
    const spring = await report(s, { from: "2024-03-01", to: "2024-05-31" });
    expect(spring.body).toMatchObject({ cases: 0, payouts: 0, total: "0.00" });
  });

  test("a return inside a period, of a payout made before it, leaves that period at zero, never negative", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "500.00", "2024-01-20");
    const batch = await executed(t, s, [item(c, "500.00")], "2024-02-10");
    await returnItem(t, s.finance, batch.id, batch.items[0].id, { returnedOn: "2024-03-05", reason: "returned" }).expect(200);
    const res = await report(s, { from: "2024-03-01", to: "2024-03-31" });
    expect(res.body).toMatchObject({ cases: 0, payouts: 0, total: "0.00", summary: { en: "0 cases, 0.00M yuan disbursed", zh: "共发放执行案款0万元，涉及案件0件" } });
  });

  test("days held run from the receipt of the oldest money, first in first out", async () => {
    const s = await courtWithStaff(t);
    const c = await createCase(t, s.clerk, s.court.id, { adjudicatedAmount: "1000.00" });
    await receive(t, s.clerk, c.id, "50.00", "2024-03-01");
    await receive(t, s.clerk, c.id, "50.00", "2024-03-10");
    const applicant = c.parties.find((p) => p.role === "applicant")!;
    await executed(t, s, [{ caseId: c.id, partyId: applicant.id, amount: "70.00" }], "2024-03-20"); // 19 days from 03-01
    await executed(t, s, [{ caseId: c.id, partyId: applicant.id, amount: "30.00" }], "2024-04-20"); // money of 03-10: 41 days
    const res = await report(s, { from: "2024-03-01", to: "2024-04-30" });
    expect(res.body.timeliness).toEqual({
      payouts: 2, medianDays: 30, p90Days: 38.8, within30Days: 1, over30Days: 1,
      // No deferral and no local deadline: the late one is 无法定事由超期 (issue 14).
      over30CoveredByDeferral: 0, over30WithoutLegalCause: 1, withLocalDeadline: 0, withinLocalDeadline: 0, overLocalDeadline: 0, overLocalDeadlineOnly: 0,
    });
    const csv = await report(s, { from: "2024-03-01", to: "2024-04-30", format: "csv" });
    const lines = csv.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines.slice(1).map((l) => l.split(",").slice(-2))).toEqual([
      ["2024-03-01", "19"],
      ["2024-03-10", "41"],
    ]);
  });

  test("the English and Chinese sentences: 万元 drops trailing zeros, rounding is half-up", () => {
    expect(summarise(284, new MoneyDecimal("10730000.00"))).toEqual({
      display: { millionYuan: "10.73", wanYuan: "1073.00" },
      summary: { en: "284 cases, 10.73M yuan disbursed", zh: "共发放执行案款1073万元，涉及案件284件" },
    });
    expect(summarise(3, new MoneyDecimal("10735000.00")).display).toEqual({ millionYuan: "10.74", wanYuan: "1073.50" });
    expect(summarise(3, new MoneyDecimal("10735000.00")).summary.zh).toBe("共发放执行案款1073.5万元，涉及案件3件");
    expect(summarise(1, new MoneyDecimal("4999.99")).display).toEqual({ millionYuan: "0.00", wanYuan: "0.50" });
    expect(summarise(1, new MoneyDecimal("4999.99")).summary.en).toBe("1 case, 0.00M yuan disbursed");
  });
});

describe("who may see what", () => {
  test("another court is 404; a clerk is 403; all the user's courts when courtId is absent", async () => {
    const a = await courtWithStaff(t);
    const b = await courtWithStaff(t);
    expect((await report(a, { from: "2024-01-01", to: "2024-12-31", courtId: b.court.id })).status).toBe(404);
    expect((await report(a, { from: "2024-01-01", to: "2024-12-31" }, a.clerk)).status).toBe(403);
    const all = await request(t.app).get("/v1/reports/disbursements").query({ from: "2024-01-01", to: "2024-12-31" }).set(a.approver.auth);
    expect(all.status).toBe(200);
    expect(all.body.courtIds).toEqual([a.court.id]);
  });

  test.each([
    ["to before from", { from: "2024-05-01", to: "2024-04-01" }, "query.to"],
    ["a period over 10 years", { from: "2010-01-01", to: "2024-01-01" }, "query.to"],
    ["a date that does not exist", { from: "2024-02-30", to: "2024-03-31" }, "query.from"],
    ["an unknown parameter", { from: "2024-01-01", to: "2024-03-31", sort: "amount" }, "query.sort"],
  ])("%s is a 400 naming the parameter", async (_what, query, path) => {
    const s = await courtWithStaff(t);
    const res = await report(s, query as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });
});

describe("exports", () => {
  test("CSV by Accept header: UTF-8 BOM, one row per payout, payee account masked", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "1000.00", "2024-01-20");
    await executed(t, s, [item(c, "123.45"), item(c, "0.55")], "2024-03-15");
    const res = await request(t.app).get("/v1/reports/disbursements").query({ courtId: s.court.id, from: "2024-03-01", to: "2024-03-31" }).set(s.inspector.auth).set("Accept", "text/csv");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toContain("disbursements_2024-03-01_2024-03-31.csv");
    expect(res.text.startsWith("\uFEFFitem_id,court,case_number,payee,payee_account,amount,paid_on")).toBe(true);
    const rows = res.text.trim().split("\r\n").slice(1);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.split(",")[5])).toEqual(["123.45", "0.55"]);
    expect(res.text).toContain("****9012");
    expect(res.text).not.toContain("6228480123456789012");
  });

  test("XLSX: a summary sheet and a detail sheet whose amounts are numbers with a 2-decimal format", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "1000.00", "2024-01-20");
    await executed(t, s, [item(c, "999.99")], "2024-03-15");
    const { status, contentType, workbook } = await fetchWorkbook(report(s, { from: "2024-03-01", to: "2024-03-31", format: "xlsx" }));
    expect(status).toBe(200);
    expect(contentType).toContain("spreadsheetml");
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Summary 汇总", "Payouts 发放明细"]);
    const summary = workbook.worksheets[0];
    const labels = summary.getColumn(1).values as unknown[];
    expect(labels).toContain("Summary");
    const detail = workbook.worksheets[1];
    const amountCell = detail.getRow(2).getCell(6);
    expect(amountCell.value).toBe(999.99);
    expect(amountCell.numFmt).toBe("#,##0.00");
  });
});

describe("figures are exact: the report against an independent computation", () => {
  test("random periods over random payouts and returns", async () => {
    const s = await courtWithStaff(t);
    const rng = fc.sample(fc.record({ amount: fc.integer({ min: 1, max: 5_000_000 }), day: fc.integer({ min: 0, max: 120 }), returned: fc.integer({ min: -1, max: 200 }) }), { numRuns: 24, seed: 42 });
    const day = (n: number) => new Date(Date.UTC(2024, 0, 21 + n)).toISOString().slice(0, 10);
    const model: { caseId: string; amount: string; paidOn: string; returnedOn: string | null }[] = [];
    const cases = await Promise.all(Array.from({ length: 6 }, () => fundedCase(t, s, "9999999.00", "2024-01-20")));
    for (let i = 0; i < rng.length; i++) {
      const r = rng[i];
      const c = cases[i % cases.length];
      const amount = new MoneyDecimal(r.amount).dividedBy(100).toFixed(2);
      const batch = await approved(t, s, [item(c, amount)]);
      const paidOn = day(r.day);
      expect((await execute(t, s.finance, batch.id, { paidOn })).status).toBe(200);
      let returnedOn: string | null = null;
      if (r.returned >= 0 && r.returned % 3 === 0) {
        returnedOn = day(r.day + (r.returned % 60));
        expect((await returnItem(t, s.finance, batch.id, batch.items[0].id, { returnedOn, reason: "bank returned" })).status).toBe(200);
      }
      model.push({ caseId: c.id, amount, paidOn, returnedOn });
    }
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 180 }), fc.integer({ min: 0, max: 90 }), async (start, length) => {
        const from = day(start - 10);
        const to = day(start - 10 + length);
        const counted = model.filter((m) => m.paidOn >= from && m.paidOn <= to && !(m.returnedOn !== null && m.returnedOn <= to));
        const total = counted.reduce((sum, m) => sum.plus(m.amount), new MoneyDecimal(0));
        const res = await report(s, { from, to });
        expect(res.status).toBe(200);
        expect({ cases: res.body.cases, payouts: res.body.payouts, total: res.body.total }).toEqual({
          cases: new Set(counted.map((m) => m.caseId)).size,
          payouts: counted.length,
          total: total.toFixed(2),
        });
        const monthSum = res.body.byMonth.reduce((sum: InstanceType<typeof MoneyDecimal>, m: { total: string }) => sum.plus(m.total), new MoneyDecimal(0));
        expect(monthSum.toFixed(2)).toBe(total.toFixed(2));
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
