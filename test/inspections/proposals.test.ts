import request from "supertest";
import { addDays, todayInChina } from "../../api/core/dates";
import { courtWithStaff, type Staff } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";
import { onRealPostgres } from "../helpers/test-db";
import { startTestApp, type TestApp, type TestUser } from "../helpers/test-app";
import { debtorCase, fullyPerform, listingBody, postListing } from "../listings/factories";
import { executed, fundedCase, item } from "../payouts/payout-helpers";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const today = todayInChina();

interface Proposal {
  key: string;
  category: string;
  description: string;
  severity: string;
  entities: { type: string; id: string }[];
  on: string;
}

async function inspection(s: Staff, from = "2024-03-01", to = today): Promise<string> {
  const res = await request(t.app).post("/v1/inspections").set(s.inspector.auth).send({ courtId: s.court.id, name: "巡察组进驻", from, to });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function proposals(user: TestUser, inspectionId: string): Promise<Proposal[]> {
  const res = await request(t.app).get(`/v1/inspections/${inspectionId}/proposals`).set(user.auth);
  expect(res.status).toBe(200);
  return res.body.data;
}

const post = (user: TestUser, path: string, body: unknown) => request(t.app).post(path).set(user.auth).send(body as object);
const keysOf = (ps: Proposal[]) => ps.map((p) => p.key).sort();

/** A court whose records show each problem a proposal is made of, and beside each one that is not. */
async function courtWithProblems(prefix: string) {
  const s = await courtWithStaff(t, prefix);
  // Money held and overdue since 2024-03-31; beside it a case whose money was paid out.
  const overdue = await fundedCase(t, s, "7000.00", "2024-03-01");
  const paidOut = await fundedCase(t, s, "7000.00", "2024-03-01");
  await executed(t, s, [item(paidOut, "7000.00")], "2024-03-15");
  // Paid into a firm's account, not the payee's.
  const misnamed = await fundedCase(t, s, "500.00", "2024-03-01", {
    applicants: [{ name: "刘某某", kind: "person", bankAccount: { bankName: "中国工商银行", accountName: "湖南某律师事务所", accountNumber: "1901000011112222333" } }],
  });
  const misnamedBatch = await executed(t, s, [item(misnamed, "500.00")], "2024-03-20");
  // A listing (no term) whose case was fully performed on 2024-07-01: removal due within 3 working days, never done.
  const listed = await debtorCase(t, s);
  const listing = await postListing(t, s.officer, listingBody(listed));
  expect(listing.status).toBe(201);
  await fullyPerform(t, s, listed, "2024-07-01");
  // A bank deposit frozen for a year, never renewed: lapsed; beside it one still running.
  const frozenCase = await debtorCase(t, s);
  const lapsed = await post(s.clerk, `/v1/cases/${frozenCase.caseId}/freezes`, { partyId: frozenCase.debtorId, assetType: "bank_deposit", description: "银行存款", frozenOn: "2024-03-05", expiresOn: "2025-03-04" });
  expect(lapsed.status).toBe(201);
  const running = await post(s.clerk, `/v1/cases/${frozenCase.caseId}/freezes`, { partyId: frozenCase.debtorId, assetType: "bank_deposit", description: "另一账户", frozenOn: addDays(today, -10), expiresOn: addDays(today, 300) });
  expect(running.status).toBe(201);
  return { s, overdue, paidOut, misnamed, misnamedBatch, listingId: listing.body.id as string, listed, lapsedId: lapsed.body.id as string, frozenCaseId: frozenCase.caseId, runningId: running.body.id as string };
}

describe("findings proposed from the data", () => {
  test("each problem of the court in the period is proposed once, with its records; what is in order is not", async () => {
    const w = await courtWithProblems("PA");
    const id = await inspection(w.s);
    const ps = await proposals(w.s.inspector, id);
    expect(keysOf(ps)).toEqual(
      [
        `overdue_funds:case:${w.overdue.id}`,
        // The listed case's money (received 2024-07-01) is still held too.
        `overdue_funds:case:${w.listed.caseId}`,
        `unentitled_payee:payout_item:${w.misnamedBatch.items[0].id}`,
        `listing_not_removed:listing:${w.listingId}`,
        `freeze_lapsed:freeze:${w.lapsedId}`,
      ].sort(),
    );
    const overdue = ps.find((p) => p.key === `overdue_funds:case:${w.overdue.id}`)!;
    expect(overdue).toMatchObject({ severity: "high", on: "2024-03-31" });
    expect(overdue.entities[0]).toEqual({ type: "case", id: w.overdue.id });
    expect(overdue.entities[1].type).toBe("receipt");
    expect(overdue.description).toContain("无经批准的延期发放");
    expect(ps.find((p) => p.category === "unentitled_payee")!.entities).toEqual([
      { type: "batch", id: w.misnamedBatch.id },
      { type: "case", id: w.misnamed.id },
    ]);
    expect(ps.find((p) => p.category === "freeze_lapsed")).toMatchObject({ on: "2025-03-04", entities: [{ type: "freeze", id: w.lapsedId }, { type: "case", id: w.frozenCaseId }] });
    expect(ps.find((p) => p.category === "listing_not_removed")!.entities).toEqual([
      { type: "listing", id: w.listingId },
      { type: "case", id: w.listed.caseId },
    ]);
    // A period that ends before the problems arose proposes none of them.
    const early = await inspection(w.s, "2024-01-01", "2024-02-28");
    expect(await proposals(w.s.inspector, early)).toEqual([]);
  });

  test("accepting a proposal creates the finding with its entities, audited; it is not proposed again, in this inspection or the next", async () => {
    const w = await courtWithProblems("PB");
    const id = await inspection(w.s);
    const key = `overdue_funds:case:${w.overdue.id}`;
    const proposal = (await proposals(w.s.inspector, id)).find((p) => p.key === key)!;
    const res = await post(w.s.inspector, `/v1/inspections/${id}/proposals/accept`, { key, rectifyBy: addDays(today, 30), responsibleUserId: w.s.finance.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      inspectionId: id,
      courtId: w.s.court.id,
      category: "overdue_funds",
      severity: "high",
      status: "open",
      foundOn: today,
      responsibleUserId: w.s.finance.id,
      entities: proposal.entities,
      description: proposal.description,
    });
    const stored = await t.db.knex("finding_proposal_decisions").where({ court_id: w.s.court.id, key }).first();
    expect(stored).toMatchObject({ decision: "accepted", finding_id: res.body.id, inspection_id: id, decided_by: w.s.inspector.id, reason: null });
    const events = await t.db.knex("audit_events").whereIn("entity_id", [res.body.id, stored.id]).orderBy("seq").select("action", "court_id");
    expect(events).toEqual([
      { action: "finding.created", court_id: w.s.court.id },
      { action: "finding_proposal.accepted", court_id: w.s.court.id },
    ]);

    expect(keysOf(await proposals(w.s.inspector, id))).not.toContain(key);
    const next = await inspection(w.s);
    expect(keysOf(await proposals(w.s.inspector, next))).not.toContain(key);
    const again = await post(w.s.inspector, `/v1/inspections/${next}/proposals/accept`, { key, rectifyBy: addDays(today, 30) });
    expectProblem(again, 409, "conflict");
    expect(await t.db.knex("findings").where({ court_id: w.s.court.id })).toHaveLength(1);
  });

  test("discarding a proposal records the reason, audited, and it is not proposed again", async () => {
    const w = await courtWithProblems("PC");
    const id = await inspection(w.s);
    const key = `freeze_lapsed:freeze:${w.lapsedId}`;
    const res = await post(w.s.inspector, `/v1/inspections/${id}/proposals/discard`, { key, reason: "该冻结已由上级法院续冻，另有文书" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key, inspectionId: id, decision: "discarded", reason: "该冻结已由上级法院续冻，另有文书", findingId: null, decidedBy: w.s.inspector.id });
    expect(keysOf(await proposals(w.s.inspector, id))).not.toContain(key);
    const event = await t.db.knex("audit_events").where({ action: "finding_proposal.discarded", court_id: w.s.court.id }).first();
    expect(event.data).toMatchObject({ key, inspectionId: id, category: "freeze_lapsed" });
    expect(await t.db.knex("findings").where({ court_id: w.s.court.id })).toHaveLength(0);
    expectProblem(await post(w.s.inspector, `/v1/inspections/${id}/proposals/discard`, { key, reason: "再次" }), 409, "conflict");
  });

  test("a broken audit chain of the court is proposed as record_altered", async () => {
    const own = await startTestApp();
    try {
      const s = await courtWithStaff(own, "PD");
      const c = await fundedCase(own, s, "100.00", "2024-03-01");
      const res = await request(own.app).post("/v1/inspections").set(s.inspector.auth).send({ courtId: s.court.id, name: "巡察", from: "2024-03-01", to: today });
      const before = await request(own.app).get(`/v1/inspections/${res.body.id}/proposals`).set(s.inspector.auth);
      expect(before.body.data.map((p: Proposal) => p.category)).toEqual(["overdue_funds"]);
      const event = await own.db.knex("audit_events").where({ entity_type: "case", entity_id: c.id }).first();
      await own.db.knex.transaction(async (tx) => {
        await tx.raw("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
        await tx.raw(`UPDATE audit_events SET data = jsonb_set(data, '{caseNumber}', '"(2024)湘1129执1号"') WHERE seq = ?`, [event.seq]);
        await tx.raw("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
      });
      const after = await request(own.app).get(`/v1/inspections/${res.body.id}/proposals`).set(s.inspector.auth);
      const altered = after.body.data.find((p: Proposal) => p.category === "record_altered");
      expect(altered).toMatchObject({ key: `record_altered:chain:${s.court.id}:${event.chain_seq}`, severity: "high", entities: [] });
    } finally {
      await own.close();
    }
  });
});

describe("who may do it, and bad input", () => {
  test("another court's inspection answers 404, a clerk 403, an unknown key 404, unknown fields 400: nothing is written", async () => {
    const w = await courtWithProblems("PE");
    const other = await courtWithStaff(t, "PF");
    const id = await inspection(w.s);
    const key = `overdue_funds:case:${w.overdue.id}`;

    expectProblem(await request(t.app).get(`/v1/inspections/${id}/proposals`).set(other.inspector.auth), 404, "not_found");
    expectProblem(await post(other.inspector, `/v1/inspections/${id}/proposals/accept`, { key, rectifyBy: today }), 404, "not_found");
    expectProblem(await post(other.inspector, `/v1/inspections/${id}/proposals/discard`, { key, reason: "x" }), 404, "not_found");
    expectProblem(await request(t.app).get(`/v1/inspections/${id}/proposals`).set(w.s.clerk.auth), 403, "forbidden");
    expectProblem(await post(w.s.clerk, `/v1/inspections/${id}/proposals/discard`, { key, reason: "x" }), 403, "forbidden");
    expectProblem(await post(w.s.inspector, `/v1/inspections/${id}/proposals/accept`, { key: `overdue_funds:case:${w.paidOut.id}`, rectifyBy: today }), 404, "not_found");
    expectProblem(await post(w.s.inspector, `/v1/inspections/${id}/proposals/accept`, { key, rectifyBy: today, category: "other" }), 400, "validation_failed");
    expectProblem(await post(w.s.inspector, `/v1/inspections/${id}/proposals/accept`, { key, rectifyBy: addDays(today, -1) }), 400, "validation_failed");
    expectProblem(await post(w.s.inspector, `/v1/inspections/${id}/proposals/discard`, { key }), 400, "validation_failed");

    expect(await t.db.knex("finding_proposal_decisions").where({ court_id: w.s.court.id })).toHaveLength(0);
    expect(await t.db.knex("findings").where({ court_id: w.s.court.id })).toHaveLength(0);
    expect(keysOf(await proposals(w.s.inspector, id))).toContain(key);
  });

  (onRealPostgres ? test : test.skip)("two inspectors accepting one proposal at once: one finding, the other gets 409", async () => {
    const w = await courtWithProblems("PG");
    const second = await t.user(["inspector"], [w.s.court.id]);
    const id = await inspection(w.s);
    const key = `overdue_funds:case:${w.overdue.id}`;
    const [a, b] = await Promise.all([
      post(w.s.inspector, `/v1/inspections/${id}/proposals/accept`, { key, rectifyBy: addDays(today, 30) }),
      post(second, `/v1/inspections/${id}/proposals/accept`, { key, rectifyBy: addDays(today, 30) }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await t.db.knex("findings").where({ court_id: w.s.court.id })).toHaveLength(1);
  });
});
