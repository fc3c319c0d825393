import request from "supertest";
import { courtWithStaff, createCase, type CaseView } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";
import { onRealPostgres } from "../helpers/test-db";
import { startTestApp, type TestApp, type TestUser } from "../helpers/test-app";
import { addDays, todayInChina } from "../../api/core/dates";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

type Staff = Awaited<ReturnType<typeof courtWithStaff>>;

async function inspection(s: Staff, name = "市委第十一巡察组进驻江华法院") {
  const res = await request(t.app).post("/v1/inspections").set(s.inspector.auth).send({ courtId: s.court.id, name, from: "2026-09-01", to: "2026-11-30" });
  expect(res.status).toBe(201);
  return res.body as { id: string; courtId: string };
}

function findingBody(c: CaseView, overrides: Record<string, unknown> = {}) {
  return {
    category: "overdue_funds",
    description: "案款到账超过30日未发放，无延期审批",
    severity: "high",
    entities: [{ type: "case", id: c.id }],
    foundOn: addDays(todayInChina(), -3),
    rectifyBy: addDays(todayInChina(), 27),
    ...overrides,
  };
}

const post = (user: TestUser, path: string, body: unknown) => request(t.app).post(path).set(user.auth).send(body as object);
const eventsOf = (id: string) => t.db.knex("audit_events").where({ entity_type: "finding", entity_id: id }).orderBy("seq");

describe("an inspector records a finding and follows it to the end", () => {
  test("the full cycle with a reopening: open → rectifying → rectified → reopened → rectified → verified, every step audited under the court", async () => {
    const s = await courtWithStaff(t);
    const c = await createCase(t, s.clerk, s.court.id);
    const insp = await inspection(s);
    const created = await post(s.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(c, { responsibleUserId: s.finance.id }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "open", overdue: false, courtId: s.court.id, inspectionId: insp.id, responsibleUserId: s.finance.id, rectifications: [] });
    const id = created.body.id as string;

    const progress = await post(s.finance, `/v1/findings/${id}/rectifications`, { description: "已联系申请人，正在核对账户", evidence: [] });
    expect(progress.status).toBe(201);
    expect(progress.body.status).toBe("rectifying");

    const done = await post(s.finance, `/v1/findings/${id}/rectifications`, {
      description: "案款已发放",
      evidence: [{ kind: "document", reference: "发放批次 2026-118 凭证" }],
      completedOn: todayInChina(),
    });
    expect(done.status).toBe(201);
    expect(done.body.status).toBe("rectified");
    expect(done.body.rectifications).toHaveLength(2);

    const reopened = await post(s.inspector, `/v1/findings/${id}/verify`, { accepted: false, note: "缺少申请人签收材料" });
    expect(reopened.status).toBe(200);
    expect(reopened.body.status).toBe("reopened");

    const again = await post(s.clerk, `/v1/findings/${id}/rectifications`, { description: "补充签收单", evidence: [{ kind: "photo", reference: "签收单照片" }] });
    expect(again.body.status).toBe("rectifying");
    const complete = await post(s.clerk, `/v1/findings/${id}/rectifications`, { description: "材料齐全", evidence: [], completedOn: todayInChina() });
    expect(complete.body.status).toBe("rectified");
    const verified = await post(s.inspector, `/v1/findings/${id}/verify`, { accepted: true, note: "整改到位，予以销号" });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: "verified", overdue: false });
    expect(verified.body.verifications.map((v: { accepted: boolean }) => v.accepted)).toEqual([false, true]);

    const stored = await t.db.knex("findings").where({ id }).first();
    expect(stored).toMatchObject({ status: "verified", verified_by: s.inspector.id });
    const events = await eventsOf(id);
    expect(events.map((e) => e.action)).toEqual([
      "finding.created",
      "finding.rectification_recorded",
      "finding.rectification_recorded",
      "finding.reopened",
      "finding.rectification_recorded",
      "finding.rectification_recorded",
      "finding.verified",
    ]);
    expect(events.every((e) => e.court_id === s.court.id)).toBe(true);
    expect(events[6].data).toMatchObject({ before: { status: "rectified" }, after: { status: "verified" } });

    const late = await post(s.clerk, `/v1/findings/${id}/rectifications`, { description: "再补充", evidence: [] });
    expectProblem(late, 409, "invalid_state");
    const listed = await request(t.app).get(`/v1/findings?inspectionId=${insp.id}&status=verified`).set(s.clerk.auth);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((f: { id: string }) => f.id)).toEqual([id]);
  });

  test("a finding past rectifyBy and not verified is overdue, and listed under status=overdue", async () => {
    const s = await courtWithStaff(t);
    const c = await createCase(t, s.clerk, s.court.id);
    const insp = await inspection(s);
    const res = await post(s.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(c, { foundOn: "2026-09-10", rectifyBy: "2026-09-30" }));
    expect(res.status).toBe(201);
    expect(res.body.overdue).toBe(todayInChina() > "2026-09-30");
    const onTime = await post(s.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(c));
    const overdue = await request(t.app).get(`/v1/findings?inspectionId=${insp.id}&status=overdue`).set(s.inspector.auth);
    expect(overdue.status).toBe(200);
    const ids = overdue.body.data.map((f: { id: string }) => f.id);
    expect(ids).toContain(res.body.id);
    expect(ids).not.toContain(onTime.body.id);
  });
});

describe("who may do what", () => {
  test("an inspector naming a case of another court gets 404 and nothing is written", async () => {
    const s = await courtWithStaff(t);
    const other = await courtWithStaff(t, "O");
    const foreign = await createCase(t, other.clerk, other.court.id);
    const insp = await inspection(s);
    const res = await post(s.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(foreign));
    expectProblem(res, 404, "not_found");
    const user = await post(s.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(foreign, { entities: [], responsibleUserId: other.clerk.id }));
    expectProblem(user, 404, "not_found");
    expect(await t.db.knex("findings").where({ inspection_id: insp.id })).toHaveLength(0);
  });

  test("an inspector of another court cannot see or add to the inspection (404)", async () => {
    const s = await courtWithStaff(t);
    const other = await courtWithStaff(t, "O");
    const c = await createCase(t, s.clerk, s.court.id);
    const insp = await inspection(s);
    expectProblem(await post(other.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(c)), 404, "not_found");
    expectProblem(await post(other.inspector, "/v1/inspections", { courtId: s.court.id, name: "x", from: "2026-01-01", to: "2026-02-01" }), 404, "not_found");
  });

  test("a clerk cannot open or verify a finding, an inspector cannot rectify, and nobody verifies their own rectification", async () => {
    const s = await courtWithStaff(t);
    const c = await createCase(t, s.clerk, s.court.id);
    const insp = await inspection(s);
    expectProblem(await post(s.clerk, `/v1/inspections/${insp.id}/findings`, findingBody(c)), 403, "forbidden");
    const f = (await post(s.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(c))).body;
    expectProblem(await post(s.inspector, `/v1/findings/${f.id}/rectifications`, { description: "x", evidence: [], completedOn: todayInChina() }), 403, "forbidden");
    expect((await post(s.clerk, `/v1/findings/${f.id}/rectifications`, { description: "已整改", evidence: [], completedOn: todayInChina() })).status).toBe(201);
    expectProblem(await post(s.clerk, `/v1/findings/${f.id}/verify`, { accepted: true, note: "自己核查" }), 403, "forbidden");

    const both = await t.user(["clerk", "inspector"], [s.court.id]);
    const g = (await post(s.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(c))).body;
    expect((await post(both, `/v1/findings/${g.id}/rectifications`, { description: "已整改", evidence: [], completedOn: todayInChina() })).status).toBe(201);
    expectProblem(await post(both, `/v1/findings/${g.id}/verify`, { accepted: true, note: "自己核查" }), 403, "same_person");
    expect((await t.db.knex("findings").where({ id: g.id }).first()).status).toBe("rectified");
    expect(await t.db.knex("finding_verifications").where({ finding_id: g.id })).toHaveLength(0);
  });

  test("staff of another court cannot answer the finding (404)", async () => {
    const s = await courtWithStaff(t);
    const other = await courtWithStaff(t, "O");
    const c = await createCase(t, s.clerk, s.court.id);
    const insp = await inspection(s);
    const f = (await post(s.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(c))).body;
    expectProblem(await post(other.clerk, `/v1/findings/${f.id}/rectifications`, { description: "x", evidence: [] }), 404, "not_found");
    expect(await t.db.knex("finding_rectifications").where({ finding_id: f.id })).toHaveLength(0);
  });

  test("an open finding cannot be verified (409)", async () => {
    const s = await courtWithStaff(t);
    const c = await createCase(t, s.clerk, s.court.id);
    const insp = await inspection(s);
    const f = (await post(s.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(c))).body;
    expectProblem(await post(s.inspector, `/v1/findings/${f.id}/verify`, { accepted: true, note: "x" }), 409, "invalid_state");
  });
});

describe("bad input: a clear 400 and nothing written", () => {
  test.each([
    ["an unknown field", { extra: 1 }, "body.extra"],
    ["rectifyBy before foundOn", { foundOn: "2026-10-10", rectifyBy: "2026-10-09" }, "body.rectifyBy"],
    ["a NUL in the description", { description: "问题\u0000描述" }, "body.description"],
    ["an unknown entity type", { entities: [{ type: "spaceship", id: "00000000-0000-4000-8000-000000000000" }] }, "body.entities.0.type"],
    ["a foundOn that is not a date", { foundOn: "2026-02-30" }, "body.foundOn"],
    ["a complaintId on a finding not of category complaint", { complaintId: "00000000-0000-4000-8000-000000000000" }, "body.category"],
  ])("%s", async (_what, overrides, path) => {
    const s = await courtWithStaff(t);
    const c = await createCase(t, s.clerk, s.court.id);
    const insp = await inspection(s);
    const res = await post(s.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(c, overrides));
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await t.db.knex("findings").where({ inspection_id: insp.id })).toHaveLength(0);
  });

  test("a foundOn in the future, and an inspection ending before it starts", async () => {
    const s = await courtWithStaff(t);
    const c = await createCase(t, s.clerk, s.court.id);
    const insp = await inspection(s);
    const future = addDays(todayInChina(), 2);
    expectProblem(await post(s.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(c, { foundOn: future, rectifyBy: future })), 400, "validation_failed");
    expectProblem(await post(s.inspector, "/v1/inspections", { courtId: s.court.id, name: "x", from: "2026-03-01", to: "2026-02-01" }), 400, "validation_failed");
  });
});

describe("the database holds the state machine too", () => {
  test("a finding cannot skip from open to verified, nor a rectification be edited", async () => {
    const s = await courtWithStaff(t);
    const c = await createCase(t, s.clerk, s.court.id);
    const insp = await inspection(s);
    const f = (await post(s.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(c))).body;
    await expect(t.db.knex("findings").where({ id: f.id }).update({ status: "verified", verified_by: s.inspector.id })).rejects.toThrow(/cannot go from open to verified/);
    await expect(t.db.knex("findings").where({ id: f.id }).update({ rectify_by: "2099-01-01" })).rejects.toThrow(/only its status moves/);
    await post(s.clerk, `/v1/findings/${f.id}/rectifications`, { description: "x", evidence: [] });
    await expect(t.db.knex("finding_rectifications").where({ finding_id: f.id }).update({ description: "改写" })).rejects.toThrow(/append-only/);
  });
});

const describeOnPostgres = onRealPostgres ? describe : describe.skip;
if (!onRealPostgres) console.warn("test/inspections/findings.test.ts: the race of two verifies is SKIPPED — racing transactions need real PostgreSQL.");

describeOnPostgres("racing on real PostgreSQL", () => {
  test("two inspectors verify one rectified finding at once: one verifies it, the other gets 409, one verification stored", async () => {
    const s = await courtWithStaff(t);
    const second = await t.user(["inspector"], [s.court.id]);
    const c = await createCase(t, s.clerk, s.court.id);
    const insp = await inspection(s);
    const f = (await post(s.inspector, `/v1/inspections/${insp.id}/findings`, findingBody(c))).body;
    await post(s.clerk, `/v1/findings/${f.id}/rectifications`, { description: "已整改", evidence: [], completedOn: todayInChina() });
    const results = await Promise.all([
      post(s.inspector, `/v1/findings/${f.id}/verify`, { accepted: true, note: "同意销号" }),
      post(second, `/v1/findings/${f.id}/verify`, { accepted: false, note: "退回" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await t.db.knex("finding_verifications").where({ finding_id: f.id })).toHaveLength(1);
    const events = await eventsOf(f.id);
    expect(events.filter((e) => e.action === "finding.verified" || e.action === "finding.reopened")).toHaveLength(1);
  });
});
