import request from "supertest";
import { courtWithStaff, createCase } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";
import { fetchWorkbook } from "../helpers/xlsx";
import { startTestApp, type TestApp, type TestUser } from "../helpers/test-app";
import { addDays, todayInChina } from "../../api/core/dates";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const post = (user: TestUser, path: string, body: unknown) => request(t.app).post(path).set(user.auth).send(body as object);
const today = todayInChina();

function complaintBody(courtId: string, overrides: Record<string, unknown> = {}) {
  return {
    courtId,
    receivedOn: addDays(today, -20),
    channel: "visit",
    complainantName: "张建国",
    summary: "执行款到账两个月仍未发放",
    replyBy: addDays(today, 10),
    ...overrides,
  };
}

describe("letters and visits (来信来访)", () => {
  test("a clerk records a visit, the name is masked for her and whole for the inspector, never in the audit trail; the reply closes it once", async () => {
    const s = await courtWithStaff(t);
    const c = await createCase(t, s.clerk, s.court.id);
    const created = await post(s.clerk, "/v1/complaints", complaintBody(s.court.id, { caseId: c.id }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ complainantName: "张**", status: "received", overdue: false, caseId: c.id });
    const asInspector = await request(t.app).get(`/v1/complaints?courtId=${s.court.id}`).set(s.inspector.auth);
    expect(asInspector.body.data[0].complainantName).toBe("张建国");
    const asClerk = await request(t.app).get(`/v1/complaints?courtId=${s.court.id}`).set(s.clerk.auth);
    expect(asClerk.body.data[0].complainantName).toBe("张**");

    const replied = await post(s.clerk, `/v1/complaints/${created.body.id}/reply`, { repliedOn: today, outcome: "已督促发放，当日到账" });
    expect(replied.status).toBe(200);
    expect(replied.body).toMatchObject({ status: "replied", repliedOn: today, overdue: false });
    expectProblem(await post(s.inspector, `/v1/complaints/${created.body.id}/reply`, { repliedOn: today, outcome: "again" }), 409, "invalid_state");

    const events = await t.db.knex("audit_events").where({ entity_type: "complaint", entity_id: created.body.id }).orderBy("seq");
    expect(events.map((e) => e.action)).toEqual(["complaint.received", "complaint.replied"]);
    expect(events.every((e) => e.court_id === s.court.id)).toBe(true);
    expect(JSON.stringify(events)).not.toContain("张建国");
  });

  test("an unanswered complaint past replyBy is overdue; a case of another court is 404; an approver may not record one", async () => {
    const s = await courtWithStaff(t);
    const other = await courtWithStaff(t, "O");
    const late = await post(s.inspector, "/v1/complaints", complaintBody(s.court.id, { receivedOn: addDays(today, -40), replyBy: addDays(today, -10), channel: "letter" }));
    expect(late.body.overdue).toBe(true);
    const overdue = await request(t.app).get(`/v1/complaints?courtId=${s.court.id}&status=overdue`).set(s.inspector.auth);
    expect(overdue.body.data.map((x: { id: string }) => x.id)).toEqual([late.body.id]);

    const foreign = await createCase(t, other.clerk, other.court.id);
    expectProblem(await post(s.clerk, "/v1/complaints", complaintBody(s.court.id, { caseId: foreign.id })), 404, "not_found");
    expectProblem(await post(s.approver, "/v1/complaints", complaintBody(s.court.id)), 403, "forbidden");
    expectProblem(await post(s.clerk, "/v1/complaints", complaintBody(s.court.id, { replyBy: addDays(today, -30) })), 400, "validation_failed");
    expectProblem(await post(s.clerk, "/v1/complaints", complaintBody(s.court.id, { complainantName: "张\u0000三" })), 400, "validation_failed");
    expectProblem(await post(s.clerk, "/v1/complaints", complaintBody(s.court.id, { channel: "fax" })), 400, "validation_failed");
    expect(await t.db.knex("complaints").where({ court_id: s.court.id })).toHaveLength(1);
  });

  test("the contact details are whole only for the inspector who recorded them, and never audited", async () => {
    const s = await courtWithStaff(t);
    const colleague = await t.user(["inspector"], [s.court.id]);
    const created = await post(s.inspector, "/v1/complaints", complaintBody(s.court.id, { contact: "13807461234" }));
    expect(created.status).toBe(201);
    expect(created.body.contact).toBe("13807461234");
    const seenBy = async (u: TestUser) => (await request(t.app).get(`/v1/complaints?courtId=${s.court.id}`).set(u.auth)).body.data[0].contact;
    expect(await seenBy(s.inspector)).toBe("13807461234");
    expect(await seenBy(colleague)).toBe("****1234");
    expect(await seenBy(s.clerk)).toBe("****1234");
    const events = await t.db.knex("audit_events").where({ entity_id: created.body.id });
    expect(JSON.stringify(events)).not.toContain("13807461234");
  });

  test("a complaint raises a finding of category complaint", async () => {
    const s = await courtWithStaff(t);
    const complaint = (await post(s.clerk, "/v1/complaints", complaintBody(s.court.id))).body;
    const insp = (await post(s.inspector, "/v1/inspections", { courtId: s.court.id, name: "巡察", from: addDays(today, -30), to: today })).body;
    const f = await post(s.inspector, `/v1/inspections/${insp.id}/findings`, {
      category: "complaint",
      complaintId: complaint.id,
      description: "群众反映案款迟延发放",
      severity: "medium",
      entities: [],
      foundOn: today,
      rectifyBy: addDays(today, 15),
    });
    expect(f.status).toBe(201);
    expect(f.body).toMatchObject({ category: "complaint", complaintId: complaint.id });
  });
});

describe("the rectification ledger (整改台账)", () => {
  test("findings by category and status, overdue and resolved, the complaints of the period, as JSON and CSV", async () => {
    const s = await courtWithStaff(t);
    const c = await createCase(t, s.clerk, s.court.id);
    const insp = (await post(s.inspector, "/v1/inspections", { courtId: s.court.id, name: "市委第十一巡察组", from: addDays(today, -60), to: today })).body;
    const finding = async (category: string, rectifyBy: string) =>
      (
        await post(s.inspector, `/v1/inspections/${insp.id}/findings`, {
          category,
          description: `=问题 ${category}`,
          severity: "medium",
          entities: [{ type: "case", id: c.id }],
          foundOn: addDays(today, -30),
          rectifyBy,
        })
      ).body as { id: string };
    const a = await finding("overdue_funds", addDays(today, -1)); // overdue, open
    const b = await finding("overdue_funds", addDays(today, 10)); // verified
    await finding("listing_not_removed", addDays(today, 10)); // open, on time
    await post(s.finance, `/v1/findings/${b.id}/rectifications`, { description: "已发放", evidence: [], completedOn: today });
    await post(s.inspector, `/v1/findings/${b.id}/verify`, { accepted: true, note: "销号" });
    await post(s.clerk, "/v1/complaints", complaintBody(s.court.id));
    await post(s.clerk, "/v1/complaints", complaintBody(s.court.id, { receivedOn: addDays(today, -90), replyBy: addDays(today, -80) })); // before the inspection

    const res = await request(t.app).get(`/v1/reports/rectification?inspectionId=${insp.id}`).set(s.inspector.auth);
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ total: 3, open: 2, rectifying: 0, rectified: 0, verified: 1, reopened: 0, overdue: 1 });
    expect(res.body.byCategory).toEqual([
      { category: "overdue_funds", total: 2, open: 1, rectifying: 0, rectified: 0, verified: 1, reopened: 0, overdue: 1 },
      { category: "listing_not_removed", total: 1, open: 1, rectifying: 0, rectified: 0, verified: 0, reopened: 0, overdue: 0 },
    ]);
    expect(res.body.complaints).toEqual({ received: 1, replied: 0, overdue: 0 });
    expect(res.body.findings.find((f: { id: string }) => f.id === a.id).overdue).toBe(true);
    expect(res.body.findings.find((f: { id: string }) => f.id === b.id).completedOn).toBe(today);

    const csv = await request(t.app).get(`/v1/reports/rectification?inspectionId=${insp.id}&format=csv`).set(s.inspector.auth);
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("问题类别,严重程度,问题描述,发现日期,整改期限,整改状态,是否超期,整改完成日期");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain("'=问题"); // a formula-looking cell is defused
    expect(csv.text).toContain("已销号");

    const xlsx = await fetchWorkbook(request(t.app).get(`/v1/reports/rectification?inspectionId=${insp.id}&format=xlsx`).set(s.inspector.auth));
    expect(xlsx.status).toBe(200);
    const sheet = xlsx.workbook.getWorksheet("问题清单")!;
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(1).getCell(1).value).toBe("问题类别");
    const summary = xlsx.workbook.getWorksheet("整改台账汇总")!;
    expect(summary.getRow(5).values).toEqual([undefined, "问题总数", 3]); // row 1 is the sheet's empty header

    const page = await request(t.app).get(`/v1/reports/rectification.html?inspectionId=${insp.id}`).set(s.inspector.auth);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(page.text).toContain("共发现问题3个，已整改销号1个，超期未整改1个；受理来信来访1件，已答复0件。");
    expect(page.text).not.toContain("<script");

    const outsider = await courtWithStaff(t, "O");
    expectProblem(await request(t.app).get(`/v1/reports/rectification?inspectionId=${insp.id}`).set(outsider.inspector.auth), 404, "not_found");
    expectProblem(await request(t.app).get(`/v1/reports/rectification?inspectionId=${insp.id}`).set(s.clerk.auth), 403, "forbidden");
  });
});
