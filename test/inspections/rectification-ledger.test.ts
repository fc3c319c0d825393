import type { Express } from "express";
import request from "supertest";
import { courtWithStaff, createCase, type Staff } from "../helpers/factories";
import { fetchWorkbook } from "../helpers/xlsx";
import { startTestApp, type TestApp, type TestUser } from "../helpers/test-app";
import { addDays, todayInChina } from "../../api/core/dates";

/**
 * The rectification ledger counts and lists every finding and every letter or visit, however many
 * there are: here it reads two findings per step, so eleven findings span six steps.
 */
let t: TestApp;
let app: Express;
beforeAll(async () => {
  t = await startTestApp();
  app = t.appWith({ ledgerPageRows: 2 });
});
afterAll(async () => {
  await t.close();
});

const today = todayInChina();
const post = (user: TestUser, path: string, body: unknown) => request(app).post(path).set(user.auth).send(body as object);

/** An inspection with eleven findings (pairs share a foundOn), four of them overdue, one verified; and five visits in its period, two answered. */
async function aBusyInspection() {
  const s: Staff = await courtWithStaff(t);
  const c = await createCase(t, s.clerk, s.court.id);
  const insp = (await post(s.inspector, "/v1/inspections", { courtId: s.court.id, name: "市委第十一巡察组", from: addDays(today, -60), to: today })).body as { id: string };
  const ids: string[] = [];
  for (let i = 0; i < 11; i += 1) {
    const res = await post(s.inspector, `/v1/inspections/${insp.id}/findings`, {
      category: i < 7 ? "overdue_funds" : "record_altered",
      description: `问题 ${i}`,
      severity: "medium",
      entities: [{ type: "case", id: c.id }],
      foundOn: addDays(today, -30 + Math.floor(i / 2)),
      rectifyBy: addDays(today, i % 3 === 0 ? -1 : 30),
    });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  // The last finding is rectified and verified: resolved, and no longer overdue though past due.
  await post(s.finance, `/v1/findings/${ids[9]}/rectifications`, { description: "已整改", evidence: [], completedOn: today });
  expect((await post(s.inspector, `/v1/findings/${ids[9]}/verify`, { accepted: true, note: "销号" })).status).toBe(200);
  const complaintIds: string[] = [];
  for (let i = 0; i < 5; i += 1) {
    const res = await post(s.clerk, "/v1/complaints", { courtId: s.court.id, receivedOn: addDays(today, -20 + i), channel: "visit", complainantName: "张建国", summary: `来访 ${i}`, replyBy: addDays(today, i === 4 ? -1 : 10) });
    expect(res.status).toBe(201);
    complaintIds.push(res.body.id);
  }
  for (const id of complaintIds.slice(0, 2)) expect((await post(s.clerk, `/v1/complaints/${id}/reply`, { repliedOn: today, outcome: "已答复来访人" })).status).toBe(200);
  return { s, inspectionId: insp.id, ids };
}

describe("the rectification ledger counts and lists all of them, not the first step's", () => {
  test("JSON: the figures count all eleven findings and five visits, and the list holds every finding once, in foundOn order", async () => {
    const { s, inspectionId, ids } = await aBusyInspection();
    const res = await request(app).get("/v1/reports/rectification").query({ inspectionId }).set(s.inspector.auth);
    expect(res.status).toBe(200);
    // Overdue: findings 0, 3, 6 (past rectifyBy, open); finding 9 was past due too, but is verified.
    expect(res.body.totals).toEqual({ total: 11, open: 10, rectifying: 0, rectified: 0, verified: 1, reopened: 0, overdue: 3 });
    expect(res.body.byCategory).toEqual([
      { category: "overdue_funds", total: 7, open: 7, rectifying: 0, rectified: 0, verified: 0, reopened: 0, overdue: 3 },
      { category: "record_altered", total: 4, open: 3, rectifying: 0, rectified: 0, verified: 1, reopened: 0, overdue: 0 },
    ]);
    expect(res.body.complaints).toEqual({ received: 5, replied: 2, overdue: 1 });
    expect(res.body.findings.map((f: { id: string }) => f.id)).toEqual(ids);
    expect(res.body.findings[9]).toMatchObject({ status: "verified", overdue: false, completedOn: today });
    expect(res.body.findings.filter((f: { overdue: boolean }) => f.overdue)).toHaveLength(3);
  });

  test("CSV and XLSX: every finding is a row, across the steps; the printable page lists them all and the summary says eleven", async () => {
    const { s, inspectionId, ids } = await aBusyInspection();
    const csv = await request(app).get("/v1/reports/rectification").query({ inspectionId, format: "csv" }).set(s.inspector.auth);
    expect(csv.status).toBe(200);
    const lines = csv.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toHaveLength(1 + 11);
    expect(lines.slice(1).map((l) => l.split(",")[2])).toEqual(ids.map((_, i) => `问题 ${i}`));
    expect(lines[10]).toContain(today); // the verified finding's completion date

    const xlsx = await fetchWorkbook(request(app).get("/v1/reports/rectification").query({ inspectionId, format: "xlsx" }).set(s.inspector.auth));
    expect(xlsx.status).toBe(200);
    const sheet = xlsx.workbook.getWorksheet("问题清单")!;
    expect(sheet.rowCount).toBe(1 + 11);
    expect(sheet.getRow(12).getCell(3).value).toBe("问题 10");
    const summary = xlsx.workbook.getWorksheet("整改台账汇总")!;
    expect(summary.getRow(5).values).toEqual([undefined, "问题总数", 11]);
    expect(summary.getRow(10).values).toEqual([undefined, "超期未整改", 3]);
    expect(summary.getRow(11).values).toEqual([undefined, "来信来访（收到/已答复/超期未答复）", "5/2/1"]);

    const page = await request(app).get("/v1/reports/rectification.html").query({ inspectionId }).set(s.inspector.auth);
    expect(page.status).toBe(200);
    expect(page.text).toContain("共发现问题11个，已整改销号1个，超期未整改3个；受理来信来访5件，已答复2件。");
    for (let i = 0; i < 11; i += 1) expect(page.text).toContain(`<td>问题 ${i}</td>`);
  });

  test("another inspection's findings and another court's visits are not counted", async () => {
    const { s, inspectionId } = await aBusyInspection();
    const other = (await post(s.inspector, "/v1/inspections", { courtId: s.court.id, name: "另一巡察组", from: addDays(today, -60), to: today })).body as { id: string };
    const c = await createCase(t, s.clerk, s.court.id);
    expect((await post(s.inspector, `/v1/inspections/${other.id}/findings`, { category: "other", description: "别的巡察", severity: "low", entities: [{ type: "case", id: c.id }], foundOn: today, rectifyBy: addDays(today, 5) })).status).toBe(201);
    const elsewhere = await courtWithStaff(t, "E");
    expect((await post(elsewhere.clerk, "/v1/complaints", { courtId: elsewhere.court.id, receivedOn: addDays(today, -3), channel: "letter", complainantName: "李四", summary: "别院来信", replyBy: addDays(today, 10) })).status).toBe(201);
    const res = await request(app).get("/v1/reports/rectification").query({ inspectionId }).set(s.inspector.auth);
    expect(res.body.totals.total).toBe(11);
    expect(res.body.findings).toHaveLength(11);
    expect(res.body.complaints).toEqual({ received: 5, replied: 2, overdue: 1 });
    const theOther = await request(app).get("/v1/reports/rectification").query({ inspectionId: other.id }).set(s.inspector.auth);
    expect(theOther.body.totals.total).toBe(1);
    expect(theOther.body.complaints.received).toBe(5); // the same court's visits in the same period
  });
});
