import request from "supertest";
import { addDays } from "../../api/core/dates";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { auditActions, debtorCase, listDebtor, listWorld, today, type ListWorld } from "./factories";
import { expectProblem } from "../helpers/problem";

let t: TestApp;
let w: ListWorld;
beforeAll(async () => {
  t = await startTestApp();
  w = await listWorld(t);
});
afterAll(async () => {
  await t.close();
});

const object = (listingId: string, body: Record<string, unknown>) => request(t.app).post(`/v1/listings/${listingId}/objections`).set(w.officer.auth).send(body);
const decide = (objectionId: string, body: Record<string, unknown>, user = w.approver) =>
  request(t.app).post(`/v1/objections/${objectionId}/decide`).set(user.auth).send(body);

describe("objections of a listed person", () => {
  test("an objection is reviewed within 15 days of receipt; past that day it is overdue", async () => {
    const l = await listDebtor(t, w, await debtorCase(t, w));
    const res = await object(l.id, { receivedOn: "2024-07-01", reason: "inaccurate", note: "身份证号记载错误" });
    expect(res.status).toBe(201);
    const [o] = res.body.objections;
    expect(o).toMatchObject({
      listingId: l.id,
      receivedOn: "2024-07-01",
      reason: "inaccurate",
      status: "pending",
      reviewDueBy: "2024-07-16",
      reviewOverdue: true,
      decidedOn: null,
      actionDueBy: null,
    });
    const fresh = await object(l.id, { receivedOn: today(), reason: "should_be_removed", note: "已履行" });
    expect(fresh.body.objections[1]).toMatchObject({ reviewDueBy: addDays(today(), 15), reviewOverdue: false });
    const stored = await t.db.knex("listing_objections").where({ id: o.id }).first();
    expect(stored).toMatchObject({ status: "pending", review_due_by: "2024-07-16", created_by: w.officer.id });
    expect(await auditActions(t, o.id)).toEqual(["objection.recorded"]);
  });

  test("an upheld objection asking for removal must be acted on within 3 working days, and sets the listing's removal deadline", async () => {
    const l = await listDebtor(t, w, await debtorCase(t, w));
    const recorded = await object(l.id, { receivedOn: today(), reason: "should_not_be_listed", note: "有履行能力的认定错误" });
    const objectionId = recorded.body.objections[0].id;
    const decided = await decide(objectionId, { upheld: true, note: "理由成立" });
    expect(decided.status).toBe(200);
    const o = decided.body.objections[0];
    expect(o).toMatchObject({ status: "upheld", decidedOn: today(), decidedBy: w.approver.id, decisionNote: "理由成立" });
    expect(o.actionDueBy > today()).toBe(true);
    expect(decided.body).toMatchObject({ status: "active", removalDueBy: o.actionDueBy, removalDueReason: "objection_upheld", removalOverdue: false });
    // The calendar's answer, whatever today is.
    const wd = await request(t.app).get("/v1/working-days").query({ after: today(), count: 3 }).set(w.officer.auth);
    expect(o.actionDueBy).toBe(wd.body.date);
    expect(await auditActions(t, objectionId)).toEqual(["objection.recorded", "objection.decided"]);
  });

  test("a rejected objection sets no deadline; an objection is decided once", async () => {
    const l = await listDebtor(t, w, await debtorCase(t, w));
    const id = (await object(l.id, { receivedOn: today(), reason: "should_be_removed", note: "x" })).body.objections[0].id;
    const rejected = await decide(id, { upheld: false, note: "理由不成立" });
    expect(rejected.body.objections[0]).toMatchObject({ status: "rejected", actionDueBy: null });
    expect(rejected.body.removalDueBy).toBeNull();
    expectProblem(await decide(id, { upheld: true, note: "again" }, w.approver2), 409, "invalid_state");
    expect((await t.db.knex("listing_objections").where({ id }).first()).status).toBe("rejected");
  });

  test("an upheld objection that the record is inaccurate does not make the listing due for removal", async () => {
    const l = await listDebtor(t, w, await debtorCase(t, w));
    const id = (await object(l.id, { receivedOn: today(), reason: "inaccurate", note: "姓名错误" })).body.objections[0].id;
    const upheld = await decide(id, { upheld: true, note: "予以更正" });
    expect(upheld.body.objections[0].actionDueBy).not.toBeNull();
    expect(upheld.body.removalDueBy).toBeNull();
  });

  test("only an approver decides; another court's objection is 404; bad input is 400", async () => {
    const l = await listDebtor(t, w, await debtorCase(t, w));
    const id = (await object(l.id, { receivedOn: today(), reason: "inaccurate", note: "x" })).body.objections[0].id;
    expectProblem(await decide(id, { upheld: true, note: "x" }, w.officer), 403, "forbidden");
    const elsewhere = await listWorld(t);
    expectProblem(await decide(id, { upheld: true, note: "x" }, elsewhere.approver), 404, "not_found");
    expectProblem(await decide(id, { upheld: "yes", note: "x" }), 400, "validation_failed");
    expectProblem(await object(l.id, { receivedOn: "2024-06-01", reason: "inaccurate", note: "before the decision" }), 400, "validation_failed");
    expectProblem(await object(l.id, { receivedOn: today(), reason: "angry", note: "x" }), 400, "validation_failed");
    expect((await t.db.knex("listing_objections").where({ id }).first()).status).toBe("pending");
    expect(await t.db.knex("listing_objections").where({ listing_id: l.id })).toHaveLength(1);
  });
});
