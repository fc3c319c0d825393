import crypto from "node:crypto";
import request from "supertest";
import { keyedHash } from "../../api/core/keyed-hash";
import { loadConfig } from "../../api/config";
import { courtWithStaff, type Staff } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { act, draft, fundedCase, postBatch, type FundedCase } from "../payouts/payout-helpers";

let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "A");
});
afterAll(async () => {
  await t.close();
});

const key = loadConfig({ NODE_ENV: "test" }).identityHashKey;
const firmAccount = { bankName: "中国工商银行长沙分行", accountName: "湖南某律师事务所", accountNumber: "1901000011112222333" };
const agentBody = (overrides: Record<string, unknown> = {}) => ({
  name: "王律师",
  idNumber: "430102198001011111",
  lawFirm: "湖南某律师事务所",
  specialAuthority: true,
  authorityDocument: { number: "授字第2024-018号", signedOn: "2024-03-01" },
  bankAccount: firmAccount,
  ...overrides,
});
const requestAgent = (partyId: string, body = agentBody(), user = s.clerk) => request(t.app).post(`/v1/parties/${partyId}/agents`).set(user.auth).send(body);
const decide = (id: string, action: "approve" | "reject", user = s.approver, body?: Record<string, unknown>) => {
  const r = request(t.app).post(`/v1/agents/${id}/${action}`).set(user.auth);
  return body ? r.send(body) : r;
};
const eventsOf = (entityId: string) => t.db.knex("audit_events").where({ entity_id: entityId }).orderBy("seq").select("action", "data");

async function approvedAgent(c: FundedCase, body = agentBody()): Promise<string> {
  const asked = await requestAgent(c.applicantId, body);
  if (asked.status !== 201) throw new Error(`agent request failed: ${asked.status} ${JSON.stringify(asked.body)}`);
  const ok = await decide(asked.body.id, "approve");
  if (ok.status !== 200) throw new Error(`agent approval failed: ${ok.status} ${JSON.stringify(ok.body)}`);
  return asked.body.id;
}

describe("an agent (代理人) takes a second person", () => {
  test("a clerk records the agent with the power of attorney; an approver approves; the trail holds masked numbers and keyed hashes only", async () => {
    const c = await fundedCase(t, s, "0");
    const asked = await requestAgent(c.applicantId);
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({
      partyId: c.applicantId,
      caseId: c.id,
      name: "王律师",
      idNumberMasked: "4301**********1111",
      specialAuthority: true,
      authorityDocument: { number: "授字第2024-018号", signedOn: "2024-03-01" },
      bankAccount: { accountName: "湖南某律师事务所", accountNumberMasked: "****2333" },
      status: "pending",
      requestedBy: s.clerk.id,
      decidedBy: null,
    });
    const queue = await request(t.app).get("/v1/agents").query({ courtId: s.court.id, status: "pending" }).set(s.approver.auth);
    expect(queue.body.data.map((a: { id: string }) => a.id)).toContain(asked.body.id);

    const approved = await decide(asked.body.id, "approve");
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", decidedBy: s.approver.id });
    expect(await t.db.knex("party_agents").where({ id: asked.body.id }).first()).toMatchObject({ status: "approved", decided_by: s.approver.id });
    const events = await eventsOf(asked.body.id);
    expect(events.map((e) => e.action)).toEqual(["agent.requested", "agent.approved"]);
    expect(events[0].data.bankAccount).toMatchObject({ accountNumberMasked: "****2333", accountNumberHmac: keyedHash(key, "account_number", firmAccount.accountNumber) });
    const text = JSON.stringify(events);
    expect(text).not.toContain(firmAccount.accountNumber);
    expect(text).not.toContain("430102198001011111");
    expect(text).not.toContain(crypto.createHash("sha256").update(firmAccount.accountNumber).digest("hex"));
    expectProblem(await decide(asked.body.id, "approve"), 409, "invalid_state");
  });

  test("the requester cannot approve her own agent (403 same_person); a rejected agent stays rejected, with its reason", async () => {
    const both = await t.user(["clerk", "approver"], [s.court.id]);
    const c = await fundedCase(t, s, "0");
    const asked = await requestAgent(c.applicantId, agentBody(), both);
    expectProblem(await decide(asked.body.id, "approve", both), 403, "same_person");
    expect((await t.db.knex("party_agents").where({ id: asked.body.id }).first()).status).toBe("pending");
    expectProblem(await decide(asked.body.id, "reject", s.approver, {}), 400, "validation_failed");
    const rejected = await decide(asked.body.id, "reject", s.approver, { reason: "授权委托书无特别授权" });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: "rejected", rejectReason: "授权委托书无特别授权", decidedBy: s.approver.id });
    expect((await eventsOf(asked.body.id)).map((e) => e.action)).toEqual(["agent.requested", "agent.rejected"]);
  });

  test("bad input is a 400 and another court's party a 404, with nothing written", async () => {
    const c = await fundedCase(t, s, "0");
    expectProblem(await requestAgent(c.applicantId, agentBody({ specialAuthority: "yes" })), 400, "validation_failed");
    expectProblem(await requestAgent(c.applicantId, agentBody({ authorityDocument: { number: "1" } })), 400, "validation_failed");
    expectProblem(await requestAgent(c.applicantId, agentBody({ authorityDocument: { number: "1", signedOn: "2999-01-01" } })), 400, "validation_failed");
    expectProblem(await requestAgent(c.applicantId, agentBody({ fee: "100.00" })), 400, "validation_failed");
    const other = await courtWithStaff(t, "A2");
    expectProblem(await requestAgent(c.applicantId, agentBody(), other.clerk), 404, "not_found");
    expect(await t.db.knex("party_agents").where({ party_id: c.applicantId })).toEqual([]);
  });
});

describe("a payout to an agent", () => {
  test("pays only an approved agent with special authority: otherwise 422 not_entitled and no batch", async () => {
    const c = await fundedCase(t, s, "1000.00");
    const pending = await requestAgent(c.applicantId);
    const noAuthority = await approvedAgent(c, agentBody({ specialAuthority: false }));
    const otherCase = await fundedCase(t, s, "0");
    const foreignAgent = await approvedAgent(otherCase);
    const before = await t.db.knex("payout_batches").where({ court_id: s.court.id }).count<{ count: string }[]>("* as count");
    for (const agentId of [pending.body.id, noAuthority, foreignAgent, crypto.randomUUID()]) {
      const res = await postBatch(t, s.clerk, { courtId: s.court.id, items: [{ caseId: c.id, partyId: c.applicantId, agentId, amount: "100.00" }] });
      expectProblem(res, 422, "not_entitled");
      expect(res.body.errors).toEqual([{ path: "body.items.0.agentId", message: expect.stringContaining("special authority") }]);
    }
    const after = await t.db.knex("payout_batches").where({ court_id: s.court.id }).count<{ count: string }[]>("* as count");
    expect(after).toEqual(before);
  });

  test("the agent's name and account are copied at submit; the account name that is not the payee's is flagged in the batch and the payment file", async () => {
    const c = await fundedCase(t, s, "1000.00");
    const agentId = await approvedAgent(c);
    const b = await draft(t, s, [
      { caseId: c.id, partyId: c.applicantId, agentId, amount: "600.00" },
      { caseId: c.id, partyId: c.applicantId, amount: "100.00" },
    ]);
    expect(b.items.map((i) => i.agentId)).toEqual([agentId, null]);
    const submitted = await act(t, s.clerk, b.id, "submit");
    expect(submitted.status).toBe(200);
    expect(submitted.body.items[0].payee).toEqual({ name: "王律师", bankName: firmAccount.bankName, accountName: "湖南某律师事务所", accountNumberMasked: "****2333", nameMismatch: true });
    expect(submitted.body.items[1].payee).toMatchObject({ nameMismatch: false });
    const stored = await t.db.knex("payout_items").where({ batch_id: b.id }).orderBy("position");
    expect(stored[0]).toMatchObject({ agent_id: agentId, payee_name: "王律师", payee_account_number: firmAccount.accountNumber });
    // The approver sees the flag on the batch before approving.
    const seen = await request(t.app).get(`/v1/payout-batches/${b.id}`).set(s.approver.auth);
    expect(seen.body.items.map((i: { payee: { nameMismatch: boolean } }) => i.payee.nameMismatch)).toEqual([true, false]);
    expect((await act(t, s.approver, b.id, "approve")).status).toBe(200);
    const file = await request(t.app).get(`/v1/payout-batches/${b.id}/payment-file`).set(s.finance.auth).buffer(true);
    expect(file.status).toBe(200);
    const lines = file.text.replace(/^\ufeff/, "").trim().split("\r\n");
    expect(lines[0].split(",").at(-1)).toBe("nameMismatch");
    expect(lines.slice(1).map((l) => l.split(",").at(-1))).toEqual(["yes", "no"]);
    expect(lines[1]).toContain("王律师");
  });

  test("the name check ignores full-width characters and blanks", async () => {
    const c = await fundedCase(t, s, "1000.00");
    const agentId = await approvedAgent(c, agentBody({ name: "Wang Lü（律师）", bankAccount: { ...firmAccount, accountName: " WANG　LÜ(律师) " } }));
    const b = await draft(t, s, [{ caseId: c.id, partyId: c.applicantId, agentId, amount: "1.00" }]);
    const submitted = await act(t, s.clerk, b.id, "submit");
    expect(submitted.body.items[0].payee.nameMismatch).toBe(false);
  });
});

describe("bank account change events carry a keyed hash, never a plain digest (issue 17)", () => {
  test("the requested and approved events hold the HMAC of the account number and no SHA-256 of it", async () => {
    const c = await fundedCase(t, s, "0");
    const number = "6217000011112222444";
    const asked = await request(t.app)
      .post(`/v1/parties/${c.applicantId}/bank-account-changes`)
      .set(s.clerk.auth)
      .send({ bankAccount: { bankName: "中国建设银行", accountName: "申请人", accountNumber: number } });
    expect(asked.status).toBe(201);
    expect((await request(t.app).post(`/v1/bank-account-changes/${asked.body.id}/approve`).set(s.approver.auth)).status).toBe(200);
    const events = await eventsOf(asked.body.id);
    expect(events.map((e) => e.action)).toEqual(["bank_account_change.requested", "bank_account_change.approved"]);
    for (const e of events) expect(e.data.accountNumberHmac).toBe(keyedHash(key, "account_number", number));
    const text = JSON.stringify(events);
    expect(text).not.toContain(number);
    expect(text).not.toContain(crypto.createHash("sha256").update(number).digest("hex"));
    expect(text).not.toMatch(/Sha256/);
  });
});

describe("the database holds an agent as it was decided", () => {
  test("a decided agent cannot be edited or deleted, and an item's agent never changes", async () => {
    const c = await fundedCase(t, s, "100.00");
    const agentId = await approvedAgent(c);
    await expect(t.db.knex("party_agents").where({ id: agentId }).update({ special_authority: false })).rejects.toThrow(/never changes/);
    await expect(t.db.knex("party_agents").where({ id: agentId }).delete()).rejects.toThrow(/never deleted/);
    const b = await draft(t, s, [{ caseId: c.id, partyId: c.applicantId, amount: "1.00" }]);
    await expect(t.db.knex("payout_items").where({ batch_id: b.id }).update({ agent_id: agentId })).rejects.toThrow(/agent never changes/);
  });
});
