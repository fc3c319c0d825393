import request from "supertest";
import { fetchWorkbook } from "../helpers/xlsx";
import type { Express } from "express";
import { expectProblem } from "../helpers/problem";
import { startTestApp, type TestApp, type TestUser } from "../helpers/test-app";
import { debtorCase, fullyPerform, getListing, listDebtor, listWorld, publish, today, type DebtorCase, type ListWorld } from "../listings/factories";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

function report(w: ListWorld, query: Record<string, string>, user: TestUser = w.inspector, app: Express = t.app) {
  return request(app).get("/v1/reports/debtor-list").query({ courtId: w.court.id, ...query }).set(user.auth);
}

async function figures(w: ListWorld, from: string, to: string, app: Express = t.app) {
  const res = await report(w, { from, to }, w.inspector, app);
  expect(res.status).toBe(200);
  return res.body;
}

const withdraw = (w: ListWorld, listingId: string, publicationId: string, withdrawnOn: string) =>
  request(t.app).post(`/v1/listings/${listingId}/publications/${publicationId}/withdraw`).set(w.officer.auth).send({ withdrawnOn }).expect(200);

const removeNow = (w: ListWorld, listingId: string) => request(t.app).post(`/v1/listings/${listingId}/removal`).set(w.officer.auth).send({ ground: "fully_performed" }).expect(200);

/**
 * A listing with a 2-year term decided on 2022-10-08: it expires on Tuesday 2024-10-08, just after
 * the National Day holiday (1–7 October 2024), and is published on the court website during its term.
 */
async function termListingEndingAfterNationalDay(w: ListWorld): Promise<{ c: DebtorCase; id: string; publicationId: string }> {
  const c = await debtorCase(t, w);
  const l = await listDebtor(t, w, c, { ground: "obstructs_enforcement", decidedOn: "2022-10-08" });
  expect(l.expiresOn).toBe("2024-10-08");
  const published = await publish(t, w, l.id, "court_website", "2022-10-10");
  return { c, id: l.id, publicationId: published.publications[0].id };
}

const FIGURE_KEYS = ["listed", "published", "publishedListings", "removed", "removedOnTime", "removedLate", "dueNotRemoved", "overdueNow", "publicationsNotWithdrawn"] as const;
const pick = (body: Record<string, unknown>) => Object.fromEntries(FIGURE_KEYS.map((k) => [k, body[k]]));
const zero = Object.fromEntries(FIGURE_KEYS.map((k) => [k, 0]));

describe("period edges", () => {
  test("a listing decided on from and one on to count; the day before and the day after do not; publications count on publishedOn", async () => {
    const w = await listWorld(t);
    const ids: Record<string, string> = {};
    for (const decidedOn of ["2024-03-10", "2024-03-11", "2024-04-23", "2024-04-24"]) {
      ids[decidedOn] = (await listDebtor(t, w, await debtorCase(t, w), { decidedOn })).id;
    }
    await publish(t, w, ids["2024-03-10"], "court_website", "2024-03-10"); // the day before: out
    await publish(t, w, ids["2024-03-10"], "national_portal", "2024-03-11"); // on from: in
    await publish(t, w, ids["2024-04-23"], "court_website", "2024-04-23"); // on to: in
    await publish(t, w, ids["2024-04-23"], "new_media", "2024-04-24"); // the day after: out

    const body = await figures(w, "2024-03-11", "2024-04-23");
    expect(pick(body)).toEqual({ ...zero, listed: 2, published: 2, publishedListings: 2 });
    expect(body).toMatchObject({ from: "2024-03-11", to: "2024-04-23", today: today(), courtIds: [w.court.id], calendarKnown: true, itemsTotal: 3 });
    expect(body.items.map((i: { listingId: string }) => i.listingId)).toEqual([ids["2024-03-10"], ids["2024-03-11"], ids["2024-04-23"]]);
    expect(body.items.map((i: { listedInPeriod: boolean; publishedInPeriod: number }) => [i.listedInPeriod, i.publishedInPeriod])).toEqual([
      [false, 1],
      [true, 0],
      [true, 1],
    ]);
    expect(body.byGround).toHaveLength(6);
    expect(body.byGround.find((g: { ground: string }) => g.ground === "able_but_refuses")).toEqual({ ground: "able_but_refuses", ...zero, listed: 2, published: 2, publishedListings: 2 });
    expect(body.byGround.find((g: { ground: string }) => g.ground === "breaches_settlement")).toEqual({ ground: "breaches_settlement", ...zero });
    expect(body.conventions.onTime).toContain("removalCompletedOn ≤ removalDueBy");

    expect(pick(await figures(w, "2024-03-12", "2024-04-22"))).toEqual(zero);
    expect(pick(await figures(w, "2024-03-10", "2024-03-10"))).toEqual({ ...zero, listed: 1, published: 1, publishedListings: 1 });
  });
});

describe("removals on time and late, around the 2024 National Day holiday", () => {
  test("fully performed Monday 2024-09-30, due Thursday 2024-10-10 without a term; term listings ending 2024-10-08 due Friday 2024-10-11 (art. 10 ¶2: 有纳入期限的，不适用前款规定): withdrawn on the 10th is on time, on the 14th late; removed today is late; not removed is overdue", async () => {
    const w = await listWorld(t);
    const onTime = await termListingEndingAfterNationalDay(w);
    const late = await termListingEndingAfterNationalDay(w);
    const removedToday = await debtorCase(t, w);
    const neverRemoved = await debtorCase(t, w);
    const removedTodayListing = await listDebtor(t, w, removedToday, { decidedOn: "2024-06-03" });
    const neverRemovedListing = await listDebtor(t, w, neverRemoved, { decidedOn: "2024-06-03" });
    for (const c of [onTime.c, late.c, removedToday, neverRemoved]) await fullyPerform(t, w, c, "2024-09-30");
    await withdraw(w, onTime.id, onTime.publicationId, "2024-10-10");
    await withdraw(w, late.id, late.publicationId, "2024-10-14");
    await removeNow(w, removedTodayListing.id);

    // The report uses the listing's own deadlines.
    // A term listing's full performance starts no clock (art. 10 ¶2); its term's end does.
    expect(await getListing(t, w.inspector, onTime.id)).toMatchObject({
      status: "expired",
      removalDueBy: "2024-10-11",
      removalDueReason: "term_ended",
      removalCompletedOn: "2024-10-10",
      removalOnTime: true,
    });
    expect(await getListing(t, w.inspector, late.id)).toMatchObject({ removalDueBy: "2024-10-11", removalCompletedOn: "2024-10-14", removalOnTime: false });
    expect(await getListing(t, w.inspector, removedTodayListing.id)).toMatchObject({ status: "removed", removalCompletedOn: today(), removalOnTime: false });
    expect(await getListing(t, w.inspector, neverRemovedListing.id)).toMatchObject({ removalDueBy: "2024-10-10", removalOverdue: true });

    const october = await figures(w, "2024-10-01", "2024-10-31");
    // Removed today is after October: in October it was due and not done.
    expect(pick(october)).toEqual({ ...zero, removed: 2, removedOnTime: 1, removedLate: 1, dueNotRemoved: 2, overdueNow: 1 });
    const byId = new Map(october.items.map((i: { listingId: string }) => [i.listingId, i]));
    expect(byId.get(onTime.id)).toMatchObject({ removedInPeriod: true, removalOnTime: true, removalCompletedOn: "2024-10-10", dueNotRemoved: false, status: "expired" });
    expect(byId.get(late.id)).toMatchObject({ removedInPeriod: true, removalOnTime: false, dueNotRemoved: false });
    expect(byId.get(removedTodayListing.id)).toMatchObject({ removedInPeriod: false, dueNotRemoved: true, overdueNow: false });
    expect(byId.get(neverRemovedListing.id)).toMatchObject({ removedInPeriod: false, dueNotRemoved: true, overdueNow: true, removalDueBy: "2024-10-10" });
    expect(october.byGround.find((g: { ground: string }) => g.ground === "obstructs_enforcement")).toMatchObject({ removed: 2, removedOnTime: 1, removedLate: 1 });

    expect(pick(await figures(w, "2024-10-01", today()))).toEqual({ ...zero, removed: 3, removedOnTime: 1, removedLate: 2, dueNotRemoved: 1, overdueNow: 1 });
    // Due on the period's last day and not done that day: late once the day is over.
    expect(pick(await figures(w, "2024-10-01", "2024-10-10"))).toEqual({ ...zero, removed: 1, removedOnTime: 1, dueNotRemoved: 2, overdueNow: 1 });
    // Nothing was due yet, and nothing completed, by 9 October (the term-listings expired that day).
    const before = await figures(w, "2024-10-01", "2024-10-09");
    expect(pick(before)).toEqual(zero);
    expect(before.itemsTotal).toBe(0);
  });

  test("a listing that expired long before the period counts as removed, late, when its last publication is withdrawn in the period", async () => {
    const w = await listWorld(t);
    const c = await debtorCase(t, w, {}, { filedOn: "2019-05-06" });
    const l = await listDebtor(t, w, c, { ground: "evades_enforcement", decidedOn: "2020-01-06" });
    const pub = await publish(t, w, l.id, "newspaper", "2020-01-08");
    expect(pick(await figures(w, "2024-03-01", "2024-03-31"))).toEqual({ ...zero, overdueNow: 1, publicationsNotWithdrawn: 1 });
    await withdraw(w, l.id, pub.publications[0].id, "2024-03-15");
    const march = await figures(w, "2024-03-01", "2024-03-31");
    expect(pick(march)).toEqual({ ...zero, removed: 1, removedLate: 1 });
    expect(march.items).toEqual([expect.objectContaining({ listingId: l.id, removalDueReason: "term_ended", removalCompletedOn: "2024-03-15", removalOnTime: false })]);
    expect(pick(await figures(w, "2024-04-01", "2024-04-30"))).toEqual(zero);
  });
});

describe("publications not withdrawn", () => {
  test("counted on listings removed or expired by the period's end, until each is withdrawn", async () => {
    const w = await listWorld(t);
    const c = await debtorCase(t, w);
    const removed = await listDebtor(t, w, c, { decidedOn: "2024-06-03" });
    await publish(t, w, removed.id, "court_website", "2024-06-05");
    const published = await publish(t, w, removed.id, "national_portal", "2024-06-06");
    await fullyPerform(t, w, c, "2024-09-30");
    await removeNow(w, removed.id);
    const [website, portal] = published.publications;
    await withdraw(w, removed.id, website.id, today());
    const expired = await termListingEndingAfterNationalDay(w);

    expect((await getListing(t, w.inspector, removed.id)).publications.map((p) => p.awaitingWithdrawal)).toEqual([false, true]);
    const now = await figures(w, "2024-10-01", today());
    expect(pick(now)).toEqual({ ...zero, dueNotRemoved: 2, overdueNow: 2, publicationsNotWithdrawn: 2 });
    expect(now.items.map((i: { listingId: string; publicationsNotWithdrawn: number }) => [i.listingId, i.publicationsNotWithdrawn])).toEqual([
      [expired.id, 1],
      [removed.id, 1],
    ]);
    // The term listing expired on 9 October; the other was removed today.
    expect((await figures(w, "2024-10-01", "2024-10-08")).publicationsNotWithdrawn).toBe(0);
    expect((await figures(w, "2024-10-01", "2024-10-09")).publicationsNotWithdrawn).toBe(1);

    await withdraw(w, removed.id, portal.id, today());
    await withdraw(w, expired.id, expired.publicationId, today());
    expect(pick(await figures(w, "2024-10-01", today()))).toEqual({ ...zero, removed: 2, removedLate: 2 });
  });
});

describe("who may see what", () => {
  test("another court is 404; a list officer is 403; all the user's courts when courtId is absent", async () => {
    const a = await listWorld(t);
    const b = await listWorld(t);
    expectProblem(await report(a, { from: "2024-01-01", to: "2024-12-31", courtId: b.court.id }), 404, "not_found");
    expectProblem(await report(a, { from: "2024-01-01", to: "2024-12-31" }, a.officer), 403, "forbidden");
    await listDebtor(t, a, await debtorCase(t, a), { decidedOn: "2024-06-03" });
    await listDebtor(t, b, await debtorCase(t, b), { decidedOn: "2024-06-04" });
    const both = await t.user(["approver"], [a.court.id, b.court.id]);
    const all = await request(t.app).get("/v1/reports/debtor-list").query({ from: "2024-06-01", to: "2024-06-30" }).set(both.auth);
    expect(all.status).toBe(200);
    expect(all.body.courtIds.slice().sort()).toEqual([a.court.id, b.court.id].sort());
    expect(all.body.listed).toBe(2);
    expect((await report(a, { from: "2024-06-01", to: "2024-06-30" })).body.listed).toBe(1);
  });

  test.each([
    ["to before from", { from: "2024-05-01", to: "2024-04-01" }, "query.to"],
    ["a period over 10 years", { from: "2010-01-01", to: "2024-01-01" }, "query.to"],
    ["a date that does not exist", { from: "2024-02-30", to: "2024-03-31" }, "query.from"],
    ["a missing to", { from: "2024-01-01" }, "query.to"],
    ["an unknown parameter", { from: "2024-01-01", to: "2024-03-31", sort: "ground" }, "query.sort"],
  ])("%s is a 400 naming the parameter", async (_what, query, path) => {
    const w = await listWorld(t);
    const res = await report(w, query as Record<string, string>);
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });
});

describe("exports", () => {
  test("CSV by Accept header or format=csv: UTF-8 BOM, one row per listing touched, the same as the JSON items, read in small batches", async () => {
    const w = await listWorld(t);
    const ids: string[] = [];
    for (const decidedOn of ["2024-05-01", "2024-05-02", "2024-05-02", "2024-05-20", "2024-06-30"]) {
      ids.push((await listDebtor(t, w, await debtorCase(t, w, { name: "=HYPERLINK(1)" }), { decidedOn })).id);
    }
    const c = await debtorCase(t, w);
    const due = await listDebtor(t, w, c, { decidedOn: "2024-01-02" });
    await fullyPerform(t, w, c, "2024-09-30");
    // Two listings per step, so that the export crosses step boundaries.
    const smallSteps = t.appWith({ scanRows: { listings: 200, debtorList: 2 } });
    {
      const json = await figures(w, "2024-05-01", "2024-10-31", smallSteps);
      expect(json.itemsTotal).toBe(6);
      const byAccept = await report(w, { from: "2024-05-01", to: "2024-10-31" }, w.inspector, smallSteps).set("Accept", "text/csv");
      const byFormat = await report(w, { from: "2024-05-01", to: "2024-10-31", format: "csv" }, w.inspector, smallSteps);
      expect(byAccept.status).toBe(200);
      expect(byAccept.headers["content-type"]).toBe("text/csv; charset=utf-8");
      expect(byAccept.headers["content-disposition"]).toContain("debtor-list_2024-05-01_2024-10-31.csv");
      expect(byFormat.text).toBe(byAccept.text);
      expect(byAccept.text.startsWith("\uFEFFlisting_id,court,case_number,debtor,ground,decision_number,decided_on,expires_on,status,listed_in_period")).toBe(true);
      const rows = byAccept.text.replace(/^\uFEFF/, "").trim().split("\r\n").slice(1).map((r) => r.split(","));
      expect(rows.map((r) => r[0])).toEqual(json.items.map((i: { listingId: string }) => i.listingId));
      expect(new Set(rows.map((r) => r[0]))).toEqual(new Set([due.id, ...ids]));
      expect(rows.find((r) => r[0] === ids[0])![3]).toBe("'=HYPERLINK(1)"); // never a formula in a spreadsheet
      const dueRow = rows.find((r) => r[0] === due.id)!;
      expect(dueRow.slice(9, 18)).toEqual(["no", "0", "2024-10-10", "fully_performed", "", "", "no", "yes", "yes"]);
    }
  });

  test("XLSX: a summary sheet with the figures and a sheet of the listings", async () => {
    const w = await listWorld(t);
    const l = await listDebtor(t, w, await debtorCase(t, w), { decidedOn: "2024-05-06" });
    const { status, contentType, workbook } = await fetchWorkbook(report(w, { from: "2024-05-01", to: "2024-05-31", format: "xlsx" }));
    expect(status).toBe(200);
    expect(contentType).toContain("spreadsheetml");
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Summary 汇总", "Listings 名单明细"]);
    expect(workbook.worksheets[0].getRow(3).values).toEqual([undefined, "Listed 纳入名单", 1]);
    expect(workbook.worksheets[1].getRow(2).getCell(1).value).toBe(l.id);
  });
});
