import request from "supertest";
import { startTestApp, type TestApp } from "../helpers/test-app";
import {
  auditActions,
  debtorCase,
  fullyPerform,
  getListing,
  listDebtor,
  listWorld,
  listingBody,
  postListing,
  publish,
  today,
  type ListWorld,
} from "./factories";
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

const listingsOf = (partyId: string) => t.db.knex("listings").where({ party_id: partyId });

describe("listing a debtor", () => {
  test("a list officer lists a debtor for refusing to perform: no fixed term, id number masked, audited", async () => {
    const c = await debtorCase(t, w);
    const res = await postListing(t, w.officer, listingBody(c, { decisionNumber: "(2024)湘1129执限12号" }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      caseId: c.caseId,
      caseNumber: c.caseNumber,
      partyId: c.debtorId,
      debtorName: c.debtorName,
      idNumberMasked: "4311**********2345",
      ground: "able_but_refuses",
      decisionNumber: "(2024)湘1129执限12号",
      decidedOn: "2024-06-03",
      expiresOn: null,
      extensionYears: null,
      status: "active",
      removal: null,
      removalDueBy: null,
      removalOverdue: false,
      publications: [],
      objections: [],
      createdBy: w.officer.id,
    });
    expect(res.text).not.toContain("431129197505052345");
    const [row] = await listingsOf(c.debtorId);
    expect(row).toMatchObject({ id: res.body.id, status: "active", expires_on: null, court_id: w.court.id });
    expect(await auditActions(t, res.body.id)).toEqual(["listing.created"]);
  });

  test("other grounds run 2 years from the decision, plus 1–3 years of extension", async () => {
    const a = await listDebtor(t, w, await debtorCase(t, w), { ground: "obstructs_enforcement", decidedOn: "2024-06-03" });
    expect(a).toMatchObject({ expiresOn: "2026-06-03", extensionYears: null });
    const b = await listDebtor(t, w, await debtorCase(t, w), { ground: "evades_enforcement", decidedOn: "2024-02-29", extensionYears: 3 });
    // Five years on from 29 February 2024 there is no 29 February: the term ends on the 28th.
    expect(b).toMatchObject({ expiresOn: "2029-02-28", extensionYears: 3, status: "active" });
  });

  test("able_but_refuses has no term, so it cannot be extended: 400, nothing stored", async () => {
    const c = await debtorCase(t, w);
    const res = await postListing(t, w.officer, listingBody(c, { extensionYears: 1 }));
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "body.extensionYears" })]);
    expect(await listingsOf(c.debtorId)).toHaveLength(0);
  });

  test("an applicant cannot be listed: 400, nothing stored", async () => {
    const c = await debtorCase(t, w);
    const res = await postListing(t, w.officer, listingBody(c, { partyId: c.applicantId }));
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors).toEqual([{ path: "body.partyId", message: expect.stringContaining("only a debtor") }]);
    expect(await t.db.knex("listings").where({ case_id: c.caseId })).toHaveLength(0);
  });

  test("a party of another case cannot be listed under this case", async () => {
    const c = await debtorCase(t, w);
    const other = await debtorCase(t, w);
    const res = await postListing(t, w.officer, listingBody(c, { partyId: other.debtorId }));
    expectProblem(res, 400, "validation_failed");
    expect(await listingsOf(other.debtorId)).toHaveLength(0);
  });

  test("a natural person under 18 on the decision date is never listed; on the 18th birthday she may be", async () => {
    // Born 1 June 2006 (characters 7–14 of the resident id number).
    const c = await debtorCase(t, w, { idNumber: "43112920060601002X" });
    const minor = await postListing(t, w.officer, listingBody(c, { decidedOn: "2024-05-31" }));
    expectProblem(minor, 409, "invalid_state");
    expect(minor.body).toMatchObject({ reason: "minor" });
    expect(await listingsOf(c.debtorId)).toHaveLength(0);
    const adult = await postListing(t, w.officer, listingBody(c, { decidedOn: "2024-06-01" }));
    expect(adult.status).toBe(201);
  });

  test("an old 15-digit id number also gives the birth date", async () => {
    const c = await debtorCase(t, w, { idNumber: "431129081201123" }); // born 1908: an adult
    expect((await postListing(t, w.officer, listingBody(c))).status).toBe(201);
  });

  test("an organization's registration number is not read as a birth date", async () => {
    const c = await debtorCase(t, w, { kind: "organization", name: "江华某某建材有限公司", idNumber: "91431129MA4L20101X" });
    expect((await postListing(t, w.officer, listingBody(c))).status).toBe(201);
  });

  test("one active listing per debtor and case: a second is 409 conflict", async () => {
    const c = await debtorCase(t, w);
    await listDebtor(t, w, c);
    const again = await postListing(t, w.officer, listingBody(c, { ground: "false_asset_report" }));
    expectProblem(again, 409, "conflict");
    expect(await listingsOf(c.debtorId)).toHaveLength(1);
  });

  test("after a term has ended the debtor may be listed again, and the old listing is stored as expired", async () => {
    const c = await debtorCase(t, w);
    const old = await listDebtor(t, w, c, { ground: "obstructs_enforcement", decidedOn: "2022-03-01" });
    expect(old).toMatchObject({ expiresOn: "2024-03-01", status: "expired" });
    const fresh = await listDebtor(t, w, c, { ground: "able_but_refuses", decidedOn: "2024-06-03" });
    expect(fresh.status).toBe("active");
    const rows = await listingsOf(c.debtorId).orderBy("decided_on");
    expect(rows.map((r) => r.status)).toEqual(["expired", "active"]);
    expect(await auditActions(t, old.id)).toEqual(["listing.created", "listing.expired"]);
  });

  test("a listing of another court answers 404, as if it did not exist", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c);
    const elsewhere = await listWorld(t);
    expectProblem(await request(t.app).get(`/v1/listings/${l.id}`).set(elsewhere.officer.auth), 404, "not_found");
    const pub = await request(t.app).post(`/v1/listings/${l.id}/publications`).set(elsewhere.officer.auth).send({ channel: "newspaper", publishedOn: "2024-06-05", note: "补录" });
    expectProblem(pub, 404, "not_found");
    const removal = await request(t.app).post(`/v1/listings/${l.id}/removal`).set(elsewhere.officer.auth).send({ ground: "listed_in_error" });
    expectProblem(removal, 404, "not_found");
    // Nor can a case of another court be used to list.
    expectProblem(await postListing(t, elsewhere.officer, listingBody(await debtorCase(t, w))), 404, "not_found");
    expect((await getListing(t, w.officer, l.id)).status).toBe("active");
    expect(await t.db.knex("listing_publications").where({ listing_id: l.id })).toHaveLength(0);
  });

  test("only a list officer lists: a clerk gets 403, and no token is 401", async () => {
    const c = await debtorCase(t, w);
    expectProblem(await postListing(t, w.clerk, listingBody(c)), 403, "forbidden");
    expectProblem(await request(t.app).post("/v1/listings").send(listingBody(c)), 401, "unauthorized");
    expect(await listingsOf(c.debtorId)).toHaveLength(0);
  });

  test.each([
    ["an unknown field", { remark: "x" }, "body.remark"],
    ["a decision entered more than 30 days late without a note", { note: undefined }, "body.note"],
    ["an unknown ground", { ground: "rude" }, "body.ground"],
    ["a decision in the future", { decidedOn: "2999-01-01" }, "body.decidedOn"],
    ["a decision before the case was filed", { decidedOn: "2021-12-31" }, "body.decidedOn"],
    ["an impossible date", { decidedOn: "2024-02-30" }, "body.decidedOn"],
    ["an extension of 4 years", { ground: "obstructs_enforcement", extensionYears: 4 }, "body.extensionYears"],
    ["an applicant who is not one", { applicantId: "00000000-0000-4000-8000-000000000000" }, "body.applicantId"],
  ])("%s is 400 and nothing is stored", async (_what, overrides, path) => {
    const c = await debtorCase(t, w);
    const res = await postListing(t, w.officer, listingBody(c, overrides));
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await listingsOf(c.debtorId)).toHaveLength(0);
  });

  test("a fully performed case's debtor is not listed: 409", async () => {
    const c = await debtorCase(t, w);
    await fullyPerform(t, w, c, "2024-05-06");
    const res = await postListing(t, w.officer, listingBody(c));
    expectProblem(res, 409, "invalid_state");
    expect(await listingsOf(c.debtorId)).toHaveLength(0);
  });

  test("after a removal on the applicant's request, that applicant cannot have the debtor listed again within 6 months", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c, { applicantId: c.applicantId, decidedOn: "2024-06-03" });
    expect(l.applicantId).toBe(c.applicantId);
    const asked = await request(t.app).post(`/v1/listings/${l.id}/removal`).set(w.officer.auth).send({ ground: "applicant_request", applicantId: c.applicantId });
    expect(asked.body).toMatchObject({ status: "removal_pending", removal: { ground: "applicant_request", applicantId: c.applicantId } });
    const removed = await request(t.app).post(`/v1/listings/${l.id}/removal/approve`).set(w.approver.auth);
    expect(removed.body).toMatchObject({ status: "removed", removal: { removedOn: today() } });

    const again = await postListing(t, w.officer, listingBody(c, { applicantId: c.applicantId, decidedOn: today() }));
    expectProblem(again, 409, "invalid_state");
    expect(again.body).toMatchObject({ reason: "relisting_barred", removedListingId: l.id });
    expect(await listingsOf(c.debtorId)).toHaveLength(1);
    // The court may still list on its own motion.
    expect((await postListing(t, w.officer, listingBody(c, { decidedOn: today() }))).status).toBe(201);
  });

  test("the 6-month bar ends: a listing decided 6 months after the removal is allowed", async () => {
    const c = await debtorCase(t, w);
    const l = await listDebtor(t, w, c, { applicantId: c.applicantId, decidedOn: "2024-06-03" });
    await t.db.knex("listings").where({ id: l.id }).update({
      status: "removed",
      removal_ground: "applicant_request",
      removal_applicant_id: c.applicantId,
      removal_requested_by: w.officer.id,
      removal_requested_on: "2024-07-01",
      removal_approved_by: w.approver.id,
      removed_on: "2024-07-01",
    });
    const barred = await postListing(t, w.officer, listingBody(c, { applicantId: c.applicantId, decidedOn: "2024-12-31" }));
    expectProblem(barred, 409, "invalid_state");
    expect((await postListing(t, w.officer, listingBody(c, { applicantId: c.applicantId, decidedOn: "2025-01-01" }))).status).toBe(201);
  });
});

describe("publications", () => {
  test("an active listing is published on several channels; the same channel twice while live is 409", async () => {
    const l = await listDebtor(t, w, await debtorCase(t, w));
    await publish(t, w, l.id, "court_website", "2024-06-04");
    const both = await publish(t, w, l.id, "national_portal", "2024-06-05");
    expect(both.publications.map((p) => [p.channel, p.withdrawnOn, p.awaitingWithdrawal])).toEqual([
      ["court_website", null, false],
      ["national_portal", null, false],
    ]);
    const twice = await request(t.app).post(`/v1/listings/${l.id}/publications`).set(w.officer.auth).send({ channel: "court_website", publishedOn: "2024-06-06", note: "补录" });
    expectProblem(twice, 409, "conflict");
    expect(await t.db.knex("listing_publications").where({ listing_id: l.id })).toHaveLength(2);
    expect(await auditActions(t, l.id)).toEqual(["listing.created", "listing.published", "listing.published"]);
  });

  test("a publication before the decision, or after the term of an expired listing, is refused", async () => {
    const l = await listDebtor(t, w, await debtorCase(t, w));
    const early = await request(t.app).post(`/v1/listings/${l.id}/publications`).set(w.officer.auth).send({ channel: "newspaper", publishedOn: "2024-06-02", note: "补录" });
    expectProblem(early, 400, "validation_failed");
    const expired = await listDebtor(t, w, await debtorCase(t, w), { ground: "breaches_settlement", decidedOn: "2022-06-01" });
    const late = await request(t.app).post(`/v1/listings/${expired.id}/publications`).set(w.officer.auth).send({ channel: "newspaper", publishedOn: "2024-06-02", note: "补录" });
    expectProblem(late, 409, "invalid_state");
    expect(await t.db.knex("listing_publications").whereIn("listing_id", [l.id, expired.id])).toHaveLength(0);
    // Recorded late, a publication made during the term is accepted, and must now be withdrawn.
    const recorded = await publish(t, w, expired.id, "newspaper", "2022-06-10");
    expect(recorded.publications).toEqual([expect.objectContaining({ publishedOn: "2022-06-10", awaitingWithdrawal: true })]);
  });

  test("a withdrawal is recorded once, not before the publication, and not twice", async () => {
    const l = await listDebtor(t, w, await debtorCase(t, w));
    const pub = (await publish(t, w, l.id, "new_media", "2024-06-05")).publications[0];
    const url = `/v1/listings/${l.id}/publications/${pub.id}/withdraw`;
    expectProblem(await request(t.app).post(url).set(w.officer.auth).send({ withdrawnOn: "2024-06-04" }), 400, "validation_failed");
    const ok = await request(t.app).post(url).set(w.officer.auth).send({ withdrawnOn: "2024-06-10" });
    expect(ok.status).toBe(200);
    expect(ok.body.publications[0]).toMatchObject({ id: pub.id, withdrawnOn: "2024-06-10", awaitingWithdrawal: false });
    expectProblem(await request(t.app).post(url).set(w.officer.auth).send({ withdrawnOn: "2024-06-11" }), 409, "invalid_state");
    const row = await t.db.knex("listing_publications").where({ id: pub.id }).first();
    expect(row).toMatchObject({ withdrawn_on: "2024-06-10", withdrawn_by: w.officer.id });
    const otherListing = await listDebtor(t, w, await debtorCase(t, w));
    expectProblem(
      await request(t.app).post(`/v1/listings/${otherListing.id}/publications/${pub.id}/withdraw`).set(w.officer.auth).send({ withdrawnOn: "2024-06-10" }),
      404,
      "not_found",
    );
  });
});

describe("finding listings", () => {
  test("filters by status, case and debtor name, newest decision first, page by page", async () => {
    const mine = await listWorld(t);
    const names = ["周一", "周二", "周三", "吴四"];
    const made = [];
    for (const [i, name] of names.entries()) {
      made.push(await listDebtor(t, mine, await debtorCase(t, mine, { name }), { decidedOn: `2024-0${i + 1}-15` }));
    }
    const all = await request(t.app).get("/v1/listings").query({ limit: 2 }).set(mine.inspector.auth);
    expect(all.status).toBe(200);
    expect(all.body.data.map((l: { debtorName: string }) => l.debtorName)).toEqual(["吴四", "周三"]);
    const next = await request(t.app).get("/v1/listings").query({ limit: 2, cursor: all.body.nextCursor }).set(mine.inspector.auth);
    expect(next.body.data.map((l: { debtorName: string }) => l.debtorName)).toEqual(["周二", "周一"]);
    expect(next.body.nextCursor).toBeNull();

    const zhou = await request(t.app).get("/v1/listings").query({ name: "周" }).set(mine.officer.auth);
    expect(zhou.body.data).toHaveLength(3);
    const byCase = await request(t.app).get("/v1/listings").query({ caseId: made[0].caseId }).set(mine.officer.auth);
    expect(byCase.body.data.map((l: { id: string }) => l.id)).toEqual([made[0].id]);
    const expired = await request(t.app).get("/v1/listings").query({ status: "expired" }).set(mine.officer.auth);
    expect(expired.body.data).toEqual([]);
    // Another court's filter answers 404; its listings never show.
    expectProblem(await request(t.app).get("/v1/listings").query({ courtId: w.court.id }).set(mine.officer.auth), 404, "not_found");
  });
});
