import crypto from "node:crypto";
import request from "supertest";
import { addDays } from "../../api/core/dates";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { expectProblem } from "../helpers/problem";
import { auditActions, debtorCase, fullyPerform, getListing, listDebtor, listWorld, postListing, listingBody, publish, today, type ListWorld } from "./factories";

/** Issue 14: the debtor-list rules checked against 失信规定 (法释〔2017〕7号), on both databases. */
let t: TestApp;
let w: ListWorld;
beforeAll(async () => {
  t = await startTestApp();
  w = await listWorld(t);
});
afterAll(async () => {
  await t.close();
});

const removal = (id: string, body: Record<string, unknown>) => request(t.app).post(`/v1/listings/${id}/removal`).set(w.officer.auth).send(body);
const approve = (id: string, body?: Record<string, unknown>) => {
  const r = request(t.app).post(`/v1/listings/${id}/removal/approve`).set(w.approver.auth);
  return body ? r.send(body) : r;
};
const closeCase = (caseId: string, closureType: string, closedOn: string) =>
  request(t.app).post(`/v1/cases/${caseId}/close`).set(w.clerk.auth).send({ closureType, closedOn });
const freeze = async (caseId: string, partyId: string, body: Record<string, unknown>) => {
  const res = await request(t.app)
    .post(`/v1/cases/${caseId}/freezes`)
    .set(w.clerk.auth)
    .send({ partyId, assetType: "bank_deposit", description: "工商银行账户存款", frozenOn: "2024-05-20", ...body });
  if (res.status !== 201) throw new Error(`freeze failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
};
const row = (id: string) => t.db.knex("listings").where({ id }).first();

describe("a listing with a term (失信规定 art. 10 ¶2: 有纳入期限的，不适用前款规定)", () => {
  test("full performance never makes a term listing due or overdue before its term ends; 3 working days after the term it is", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c, { ground: "obstructs_enforcement", decidedOn: "2024-06-03" });
    await fullyPerform(t, w, c, "2024-09-30");
    const now = await getListing(t, w.officer, l.id);
    // Before issue 14 this showed removalDueBy 2024-10-10 and removalOverdue true.
    expect(now).toMatchObject({ fullyPerformedOn: "2024-09-30", expiresOn: "2026-06-03", status: "expired", removalDueReason: "term_ended" });
    // The term ended on 2026-06-03 (a Wednesday): due the 3rd working day after, Monday 8 June 2026.
    expect(now.removalDueBy).toBe("2026-06-08");
  });

  test("a term listing not yet ended whose case is fully performed has no removal deadline (early removal is a decision, art. 2)", async () => {
    const c = await debtorCase(t, w);
    const decidedOn = addDays(today(), -10);
    const l = await listDebtor(t, w, c, { ground: "evades_enforcement", decidedOn });
    await fullyPerform(t, w, c, addDays(today(), -9));
    const now = await getListing(t, w.officer, l.id);
    expect(now).toMatchObject({ status: "active", removalDueBy: null, removalDueReason: null, removalOverdue: false });
    const early = await removal(l.id, { ground: "fully_performed" });
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ status: "removal_pending", removalDueBy: null, removalOverdue: false });
  });
});

describe("every art. 10 ¶1 ground the system knows of starts the 3-working-day clock on a listing without a term", () => {
  test.each([
    ["terminated", "终结执行 (art. 10 ¶1 (七))"],
    ["withdrawn", "the applicant withdrew: 终结执行 (民诉法 art. 268 (一), art. 10 ¶1 (七))"],
  ])("a case closed as %s on Monday 30 September 2024 makes its listing due by Thursday 10 October 2024: %s", async (closureType) => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c);
    expect((await closeCase(c.caseId, closureType, "2024-09-30")).status).toBe(200);
    const now = await getListing(t, w.officer, l.id);
    expect(now).toMatchObject({ status: "active", removalDueBy: "2024-10-10", removalDueReason: "case_terminated", removalOverdue: true });
    const overdue = await request(t.app).get("/v1/listings").query({ courtId: w.court.id, removalOverdue: "true", caseId: c.caseId }).set(w.officer.auth);
    expect(overdue.body.data.map((x: { id: string }) => x.id)).toEqual([l.id]);
  });

  test("终本 alone (terminated_this_round) starts no clock: art. 10 ¶1 (四) also needs two empty asset searches, which the officer asserts", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c);
    expect((await closeCase(c.caseId, "terminated_this_round", "2024-09-30")).status).toBe(200);
    expect(await getListing(t, w.officer, l.id)).toMatchObject({ removalDueBy: null, removalOverdue: false });
  });

  test("a removal requested on a ¶1 ground (settlement performed, (二)) is due 3 working days after its real date, approved or not", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c);
    const res = await removal(l.id, { ground: "settlement_performed", requestedOn: "2024-09-30", note: "和解协议已履行完毕，补录" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "removal_pending", removalDueBy: "2024-10-10", removalDueReason: "removal_requested", removalOverdue: true });
    expect(res.body.removal).toMatchObject({ requestedOn: "2024-09-30", approvedAt: null });
    expect(res.body.removal.requestedAt).toEqual(expect.any(String));
    const approved = await approve(l.id, { removedOn: "2024-10-08", note: "审批表于10月8日签发，补录" });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "removed", removalCompletedOn: "2024-10-08", removalOnTime: true, removalOverdue: false });
    expect(approved.body.removal).toMatchObject({ removedOn: "2024-10-08", approvedBy: w.approver.id });
    expect(approved.body.removal.approvedAt).toEqual(expect.any(String));
    expect((await row(l.id)).removed_on).toBe("2024-10-08");
  });
});

describe("ground 1 when frozen assets already cover the debt (失信规定 art. 3 (二))", () => {
  test("able_but_refuses is 409 frozen_assets_cover_debt when the debtor's active freezes cover what is owed, and nothing is written", async () => {
    const c = await debtorCase(t, w);
    await freeze(c.caseId, c.debtorId, { amount: "600.00" });
    await freeze(c.caseId, c.debtorId, { amount: "400.00", assetType: "real_estate", description: "房产" });
    const res = await postListing(t, w.officer, listingBody(c));
    expectProblem(res, 409, "invalid_state");
    expect(res.body).toMatchObject({ reason: "frozen_assets_cover_debt", frozen: "1000.00", owed: "1000.00" });
    expect(await t.db.knex("listings").where({ party_id: c.debtorId })).toHaveLength(0);
  });

  test("freezes short of what is owed, lapsed ones, and ones without an amount do not bar ground 1; other grounds are never barred", async () => {
    const c = await debtorCase(t, w);
    await freeze(c.caseId, c.debtorId, { amount: "999.99" });
    await freeze(c.caseId, c.debtorId, { description: "车辆", assetType: "movable" });
    // Lapsed before the decision: not in force on 2024-06-03.
    await freeze(c.caseId, c.debtorId, { amount: "5000.00", frozenOn: "2023-01-02", expiresOn: "2024-01-01" });
    expect((await postListing(t, w.officer, listingBody(c))).status).toBe(201);

    const other = await debtorCase(t, w);
    await freeze(other.caseId, other.debtorId, { amount: "2000.00" });
    expect((await postListing(t, w.officer, listingBody(other, { ground: "obstructs_enforcement" }))).status).toBe(201);
  });

  test("what is owed counts the receipts by the decision day: 600 received and 400 frozen covers a 1,000 case", async () => {
    const c = await debtorCase(t, w);
    await request(t.app).post(`/v1/cases/${c.caseId}/receipts`).set(w.finance.auth).set("Idempotency-Key", crypto.randomUUID()).send({ amount: "600.00", receivedOn: "2024-05-30", source: "voluntary" });
    await freeze(c.caseId, c.debtorId, { amount: "400.00" });
    const res = await postListing(t, w.officer, listingBody(c));
    expectProblem(res, 409, "invalid_state");
    expect(res.body).toMatchObject({ reason: "frozen_assets_cover_debt", owed: "400.00" });
  });
});

describe("real dates (issue 14 item 9): never in the future, never before what they follow, a note when more than 30 days late", () => {
  test("an immediate removal keeps its real date and the day of entry beside it; the on-time figure uses the real date", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c);
    await fullyPerform(t, w, c, "2024-09-30");
    const res = await removal(l.id, { ground: "fully_performed", requestedOn: "2024-10-08", note: "当日已删除，系统补录" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "removed", removalDueBy: "2024-10-10", removalCompletedOn: "2024-10-08", removalOnTime: true });
    expect(res.body.removal).toMatchObject({ requestedOn: "2024-10-08", removedOn: "2024-10-08" });
    expect(res.body.removal.requestedAt.slice(0, 4)).toBe(today().slice(0, 4));
  });

  test.each([
    ["in the future", { requestedOn: "2999-01-01", note: "x" }, "body.requestedOn"],
    ["before the case was fully performed", { requestedOn: "2024-09-29", note: "x" }, "body.requestedOn"],
    ["more than 30 days back without a note", { requestedOn: "2024-10-08" }, "body.note"],
  ])("a removal dated %s is 400 and nothing changes", async (_what, body, path) => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c);
    await fullyPerform(t, w, c, "2024-09-30");
    const before = await row(l.id);
    const res = await removal(l.id, { ground: "fully_performed", ...body });
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await row(l.id)).toEqual(before);
    expect(await auditActions(t, l.id)).toEqual(["listing.created"]);
  });

  test("an approval dated before its request is 400; a publication entered more than 30 days late needs a note", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c);
    await removal(l.id, { ground: "enforcement_refused", requestedOn: "2024-09-30", note: "不予执行裁定，补录" });
    const early = await approve(l.id, { removedOn: "2024-09-29", note: "x" });
    expectProblem(early, 400, "validation_failed");
    expect((await row(l.id)).status).toBe("removal_pending");

    const c2 = await debtorCase(t, w);
    const l2 = await listDebtor(t, w, c2);
    const late = await request(t.app).post(`/v1/listings/${l2.id}/publications`).set(w.officer.auth).send({ channel: "newspaper", publishedOn: "2024-06-05" });
    expectProblem(late, 400, "validation_failed");
    expect(late.body.errors.map((e: { path: string }) => e.path)).toEqual(["body.note"]);
    const withNote = await publish(t, w, l2.id, "newspaper", "2024-06-05");
    expect(withNote.publications[0]).toMatchObject({ publishedOn: "2024-06-05", note: "补录" });
  });
});
