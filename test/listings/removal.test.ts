import request from "supertest";
import { addDays } from "../../api/core/dates";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { auditActions, debtorCase, fullyPerform, getListing, listDebtor, listWorld, publish, today, type ListWorld } from "./factories";
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

const removal = (id: string, body: Record<string, unknown>, user = w.officer) => request(t.app).post(`/v1/listings/${id}/removal`).set(user.auth).send(body);
const approve = (id: string, user = w.approver) => request(t.app).post(`/v1/listings/${id}/removal/approve`).set(user.auth);
const row = (id: string) => t.db.knex("listings").where({ id }).first();

describe("removal when the debtor has fully performed", () => {
  test("removal by fully_performed before full performance is 409, and nothing changes", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c);
    const before = await row(l.id);
    const res = await removal(l.id, { ground: "fully_performed" });
    expectProblem(res, 409, "invalid_state");
    expect(res.body.reason).toBe("not_fully_performed");
    expect(await row(l.id)).toEqual(before);
    expect(await auditActions(t, l.id)).toEqual(["listing.created"]);
  });

  test("fully performed on Monday 30 September 2024: removal due by Thursday 10 October 2024, overdue since", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c, { decidedOn: "2024-06-03" });
    expect(l.removalDueBy).toBeNull();
    await fullyPerform(t, w, c, "2024-09-30");
    const due = await getListing(t, w.officer, l.id);
    expect(due).toMatchObject({
      status: "active",
      fullyPerformedOn: "2024-09-30",
      removalDueBy: "2024-10-10",
      removalDueReason: "fully_performed",
      removalOverdue: true,
      removalCompletedOn: null,
      removalOnTime: null,
      calendarKnown: true,
    });
  });

  test("a receipt that completes the case today makes the listing due at once, not yet overdue, and it is removed at once", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c);
    await publish(t, w, l.id, "court_website", "2024-06-04");
    await fullyPerform(t, w, c, today());
    const due = await getListing(t, w.officer, l.id);
    expect(due.removalDueBy! > today()).toBe(true);
    expect(due).toMatchObject({ status: "active", removalOverdue: false, removalDueReason: "fully_performed" });

    const res = await removal(l.id, { ground: "fully_performed", note: "当场履行完毕" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "removed",
      removal: { ground: "fully_performed", note: "当场履行完毕", requestedBy: w.officer.id, requestedOn: today(), approvedBy: null, removedOn: today() },
      removalOverdue: false,
      removalCompletedOn: null, // the court website still shows it
    });
    expect(res.body.publications).toEqual([expect.objectContaining({ channel: "court_website", withdrawnOn: null, awaitingWithdrawal: true })]);
    expect(await row(l.id)).toMatchObject({ status: "removed", removed_on: today(), removal_ground: "fully_performed" });
    expect(await auditActions(t, l.id)).toEqual(["listing.created", "listing.published", "listing.removed"]);

    const withdrawn = await request(t.app)
      .post(`/v1/listings/${l.id}/publications/${res.body.publications[0].id}/withdraw`)
      .set(w.officer.auth)
      .send({ withdrawnOn: today() });
    expect(withdrawn.body).toMatchObject({ removalCompletedOn: today(), removalOnTime: true, removalOverdue: false });
    expect(withdrawn.body.publications[0].awaitingWithdrawal).toBe(false);
  });

  test("a listing with a term is never removed early without an approver, even when fully performed", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c, { ground: "violates_consumption_ban", decidedOn: today() });
    await fullyPerform(t, w, c, today());
    const res = await removal(l.id, { ground: "fully_performed" });
    expect(res.body).toMatchObject({ status: "removal_pending", removal: { ground: "fully_performed", removedOn: null, approvedBy: null } });
    const approved = await approve(l.id);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "removed", removal: { approvedBy: w.approver.id, removedOn: today() } });
    expect(await auditActions(t, l.id)).toEqual(["listing.created", "listing.removal_requested", "listing.removed"]);
  });

  test("a receipt reversed while the removal waited: the approval is refused with 409", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c, { ground: "obstructs_enforcement", decidedOn: today() });
    const receipt = await request(t.app)
      .post(`/v1/cases/${c.caseId}/receipts`)
      .set(w.finance.auth)
      .set("Idempotency-Key", `k-${l.id}`)
      .send({ amount: c.adjudicatedAmount, receivedOn: today(), source: "voluntary" });
    expect(receipt.status).toBe(201);
    expect((await removal(l.id, { ground: "fully_performed" })).body.status).toBe("removal_pending");
    const reversed = await request(t.app)
      .post(`/v1/receipts/${receipt.body.id}/reverse`)
      .set(w.finance.auth)
      .set("Idempotency-Key", `r-${l.id}`)
      .send({ reason: "退票" });
    expect(reversed.status).toBe(200);
    expectProblem(await approve(l.id), 409, "invalid_state");
    expect((await row(l.id)).status).toBe("removal_pending");
  });
});

describe("removal that is a decision", () => {
  test("other grounds wait for an approver who is not the requester (same_person otherwise)", async () => {
    const both = await t.user(["list_officer", "approver"], [w.court.id]);
    const l = await listDebtor(t, w, await debtorCase(t, w));
    const asked = await removal(l.id, { ground: "settlement_performed" }, both);
    expect(asked.body).toMatchObject({ status: "removal_pending", removal: { ground: "settlement_performed", requestedBy: both.id } });
    expectProblem(await approve(l.id, both), 403, "same_person");
    expect((await row(l.id)).status).toBe("removal_pending");
    expectProblem(await approve(l.id, w.officer), 403, "forbidden");
    const ok = await approve(l.id, w.approver2);
    expect(ok.body).toMatchObject({ status: "removed", removal: { approvedBy: w.approver2.id } });
  });

  test("a second removal request while one waits is 409; a rejected one makes the listing active again", async () => {
    const l = await listDebtor(t, w, await debtorCase(t, w));
    await removal(l.id, { ground: "listed_in_error", note: "错列" });
    expectProblem(await removal(l.id, { ground: "no_assets_found" }), 409, "invalid_state");
    const rejected = await request(t.app).post(`/v1/listings/${l.id}/removal/reject`).set(w.approver.auth).send({ reason: "理由不成立" });
    expect(rejected.body).toMatchObject({ status: "active", removal: null });
    expect(await row(l.id)).toMatchObject({ status: "active", removal_ground: null, removal_requested_by: null });
    expectProblem(await approve(l.id), 409, "invalid_state");
    expect(await auditActions(t, l.id)).toEqual(["listing.created", "listing.removal_requested", "listing.removal_rejected"]);
  });

  test("applicant_request names the applicant; another ground may not", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c);
    expectProblem(await removal(l.id, { ground: "applicant_request" }), 400, "validation_failed");
    expectProblem(await removal(l.id, { ground: "listed_in_error", applicantId: c.applicantId }), 400, "validation_failed");
    expectProblem(await removal(l.id, { ground: "applicant_request", applicantId: c.debtorId }), 400, "validation_failed");
    expect((await row(l.id)).status).toBe("active");
  });

  test("a removed or expired listing cannot be removed again", async () => {
    const expired = await listDebtor(t, w, await debtorCase(t, w), { ground: "false_asset_report", decidedOn: "2022-01-10" });
    expectProblem(await removal(expired.id, { ground: "listed_in_error" }), 409, "invalid_state");
  });
});

describe("expiry and the removal deadline of a term", () => {
  test("a listing with a term is expired from the day after expiresOn, and its publications must be withdrawn within 3 working days", async () => {
    // Term of 2 years from 2022-09-30 ends on Monday 2024-09-30: withdrawals are due by Thursday 2024-10-10.
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c, { ground: "evades_enforcement", decidedOn: "2022-09-30" });
    expect(l).toMatchObject({ expiresOn: "2024-09-30", status: "expired" });
    await t.db.knex("listing_publications").insert({
      id: "8b0c3a4e-2f52-4d6e-9a51-1c2d3e4f5a6b",
      court_id: w.court.id,
      listing_id: l.id,
      channel: "national_portal",
      published_on: "2022-10-08",
      created_by: w.officer.id,
    });
    const shown = await getListing(t, w.officer, l.id);
    expect(shown).toMatchObject({ status: "expired", removalDueBy: "2024-10-10", removalDueReason: "term_ended", removalOverdue: true, removalCompletedOn: null });
    expect(shown.publications[0]).toMatchObject({ awaitingWithdrawal: true });
    // The stored status stays "active": expiry is computed, never a job that might not have run.
    expect((await row(l.id)).status).toBe("active");

    const done = await request(t.app)
      .post(`/v1/listings/${l.id}/publications/${shown.publications[0].id}/withdraw`)
      .set(w.officer.auth)
      .send({ withdrawnOn: "2024-10-11" });
    expect(done.body).toMatchObject({ removalCompletedOn: "2024-10-11", removalOnTime: false, removalOverdue: false });
  });

  test("an expired listing without publications is complete on the day after its term", async () => {
    const l = await listDebtor(t, w, await debtorCase(t, w), { ground: "obstructs_enforcement", decidedOn: "2022-03-01" });
    expect(l).toMatchObject({ status: "expired", removalCompletedOn: "2024-03-02", removalOnTime: true, removalOverdue: false });
  });
});

describe("deadline filters", () => {
  test("removalDue and removalOverdue find the listings that still need work", async () => {
    const mine = await listWorld(t);
    const overdue = await debtorCase(t, mine);
    const dueSoon = await debtorCase(t, mine);
    const untouched = await debtorCase(t, mine);
    const lOverdue = await listDebtor(t, mine, overdue);
    const lDue = await listDebtor(t, mine, dueSoon);
    const lUntouched = await listDebtor(t, mine, untouched);
    await fullyPerform(t, mine, overdue, "2024-09-30");
    await fullyPerform(t, mine, dueSoon, today());

    const ids = async (query: Record<string, string>) => {
      const res = await request(t.app).get("/v1/listings").query({ ...query, courtId: mine.court.id }).set(mine.inspector.auth);
      expect(res.status).toBe(200);
      return res.body.data.map((l: { id: string }) => l.id).sort();
    };
    expect(await ids({ removalDue: "true" })).toEqual([lOverdue.id, lDue.id].sort());
    expect(await ids({ removalOverdue: "true" })).toEqual([lOverdue.id]);
    expect(await ids({ removalDue: "false" })).toEqual([lUntouched.id]);
    expect(await ids({ removalOverdue: "false" })).toEqual([lDue.id, lUntouched.id].sort());

    // Removing the overdue one takes it off both lists at once.
    await request(t.app).post(`/v1/listings/${lOverdue.id}/removal`).set(mine.officer.auth).send({ ground: "fully_performed" });
    expect(await ids({ removalOverdue: "true" })).toEqual([]);
    expect(await ids({ removalDue: "true" })).toEqual([lDue.id]);
  });

  test("a deadline filter reads on chunk after chunk, and pages without gaps or repeats", async () => {
    const smallSteps = t.appWith({ scanRows: { listings: 3, debtorList: 500 } });
    const mine = await listWorld(t);
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await debtorCase(t, mine);
      made.push((await listDebtor(t, mine, c, { decidedOn: addDays("2024-06-01", i) })).id);
      if (i % 2 === 0) await fullyPerform(t, mine, c, "2024-09-30");
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(smallSteps)
        .get("/v1/listings")
        .query({ courtId: mine.court.id, removalOverdue: "true", limit: 2, ...(cursor ? { cursor } : {}) })
        .set(mine.officer.auth);
      seen.push(...res.body.data.map((l: { id: string }) => l.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([made[6], made[4], made[2], made[0]]);
  });
});
