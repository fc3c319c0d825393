import request from "supertest";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { courtWithStaff, createCase, receive, type Staff } from "../helpers/factories";

/**
 * Issue 14: whether a court charges the execution fee (诉讼费用交纳办法 art. 14, borne by the debtor
 * art. 38; paid first, 民诉法解释 art. 508) changes what every open case of the court owes. Turning
 * `chargeExecutionFee` on or off re-derives each open case's `fullyPerformedOn` — and with it the
 * removal clock of its listings (失信规定 art. 10 ¶1) — in the same transaction, audited.
 */
let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "FR");
});
afterAll(async () => {
  await t.close();
});

const setFee = (on: boolean, court = s) => request(t.app).patch(`/v1/courts/${court.court.id}`).set(t.admin.auth).send({ chargeExecutionFee: on });
const performedOn = async (caseId: string) => (await t.db.knex("case_balances").where({ case_id: caseId }).first()).fully_performed_on;

async function listedCase(amount: string) {
  const c = await createCase(t, s.clerk, s.court.id, { filedOn: "2024-01-05", adjudicatedAmount: amount });
  const debtor = c.parties.find((p) => p.role === "debtor")!;
  const listing = await request(t.app)
    .post("/v1/listings")
    .set(s.officer.auth)
    .send({ caseId: c.id, partyId: debtor.id, ground: "able_but_refuses", decisionNumber: `(2024)湘执限${c.id.slice(0, 6)}号`, decidedOn: "2024-03-15", note: "补录" });
  expect(listing.status).toBe(201);
  return { c, listingId: listing.body.id as string };
}

test("a case fully performed without the fee is no longer so when the court starts charging it, its listing's removal clock stops; paying the fee restarts it, and turning the fee off again moves it back", async () => {
  const { c, listingId } = await listedCase("10000.00");
  await receive(t, s.finance, c.id, "10000.00", "2024-04-01");
  // A second case, paid short of its principal: not fully performed either way, untouched.
  const short = await createCase(t, s.clerk, s.court.id, { filedOn: "2024-01-05", adjudicatedAmount: "20000.00" });
  await receive(t, s.finance, short.id, "100.00", "2024-04-01");
  expect(await performedOn(c.id)).toBe("2024-04-01");
  const listing = () => request(t.app).get(`/v1/listings/${listingId}`).set(s.officer.auth);
  expect((await listing()).body).toMatchObject({ fullyPerformedOn: "2024-04-01", removalDueReason: "fully_performed" });

  const on = await setFee(true);
  expect(on.status).toBe(200);
  // 10,000 received pays the 50.00 fee first: 50.00 of the principal is still owed.
  expect(await performedOn(c.id)).toBeNull();
  expect(await performedOn(short.id)).toBeNull();
  expect((await listing()).body).toMatchObject({ fullyPerformedOn: null });
  expect((await listing()).body.removalDueReason).not.toBe("fully_performed");
  const event = await t.db.knex("audit_events").where({ entity_id: s.court.id, action: "court.settings_changed" }).orderBy("seq", "desc").first();
  expect(event.data.performanceRederived).toEqual({ changed: 1, nowFullyPerformed: 0, noLongerFullyPerformed: 1, cases: [{ caseId: c.id, before: "2024-04-01", after: null }] });

  await receive(t, s.finance, c.id, "50.00", "2024-04-02");
  expect(await performedOn(c.id)).toBe("2024-04-02");

  const off = await setFee(false);
  expect(off.status).toBe(200);
  expect(await performedOn(c.id)).toBe("2024-04-01");
  expect((await listing()).body).toMatchObject({ fullyPerformedOn: "2024-04-01", removalDueReason: "fully_performed" });
  const back = await t.db.knex("audit_events").where({ entity_id: s.court.id, action: "court.settings_changed" }).orderBy("seq", "desc").first();
  expect(back.data.performanceRederived).toMatchObject({ changed: 1, cases: [{ caseId: c.id, before: "2024-04-02", after: "2024-04-01" }] });
});

test("a change of another setting re-derives nothing; a case not fully performed becomes so when the court stops charging the fee", async () => {
  const s = await courtWithStaff(t, "FS");
  const c = await createCase(t, s.clerk, s.court.id, { filedOn: "2024-01-05", adjudicatedAmount: "5000.00" });
  expect((await setFee(true, s)).status).toBe(200);
  await receive(t, s.finance, c.id, "5000.00", "2024-05-06");
  expect(await performedOn(c.id)).toBeNull();
  const other = await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ unidentifiedClaimWorkingDays: 5 });
  expect(other.status).toBe(200);
  const event = await t.db.knex("audit_events").where({ entity_id: s.court.id, action: "court.settings_changed" }).orderBy("seq", "desc").first();
  expect(event.data.performanceRederived).toBeUndefined();
  expect((await setFee(false, s)).status).toBe(200);
  expect(await performedOn(c.id)).toBe("2024-05-06");
  const last = await t.db.knex("audit_events").where({ entity_id: s.court.id, action: "court.settings_changed" }).orderBy("seq", "desc").first();
  expect(last.data.performanceRederived).toMatchObject({ changed: 1, nowFullyPerformed: 1, noLongerFullyPerformed: 0 });
});
