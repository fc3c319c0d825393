import crypto from "node:crypto";
import request from "supertest";
import { keyedHash } from "../../api/core/keyed-hash";
import { loadConfig } from "../../api/config";
import { courtWithStaff, createCase, getCase, type Staff } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";
import { startTestApp, unique, type TestApp } from "../helpers/test-app";
import { debtorCase, listDebtor, listingBody, postListing, publish } from "../listings/factories";

let t: TestApp;
let s: Staff;
beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "P");
});
afterAll(async () => {
  await t.close();
});

const key = loadConfig({ NODE_ENV: "test" }).identityHashKey;
const patchParty = (id: string, body: Record<string, unknown>, user = s.clerk) => request(t.app).patch(`/v1/parties/${id}`).set(user.auth).send(body);
const eventsOf = (entityId: string) => t.db.knex("audit_events").where({ entity_id: entityId }).orderBy("seq").select("action", "data");
const search = (q: string, user = s.clerk) => request(t.app).get("/v1/cases").query({ q, courtId: s.court.id }).set(user.auth);

describe("correcting a party", () => {
  test("name, kind and id number change with a reason; the event keeps before and after, the id number only masked", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    const debtor = c.parties.find((p) => p.role === "debtor")!;
    const res = await patchParty(debtor.id, { name: "湖南某建设有限公司", kind: "organization", idNumber: "91431129MA4L0XXX1K", reason: "误录为自然人" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: debtor.id, name: "湖南某建设有限公司", kind: "organization", idNumberMasked: "9143**********XX1K" });
    const row = await t.db.knex("parties").where({ id: debtor.id }).first();
    expect(row).toMatchObject({ name: "湖南某建设有限公司", kind: "organization", id_number: "91431129MA4L0XXX1K" });
    expect(row.id_number_hash).toBe(keyedHash(key, "id_number", "91431129MA4L0XXX1K"));
    const events = await eventsOf(debtor.id);
    expect(events.map((e) => e.action)).toEqual(["party.corrected"]);
    expect(events[0].data).toEqual({
      caseId: c.id,
      role: "debtor",
      reason: "误录为自然人",
      changes: {
        name: { before: debtor.name, after: "湖南某建设有限公司" },
        kind: { before: "person", after: "organization" },
        idNumber: { before: "4311**********2345", after: "9143**********XX1K" },
      },
    });
    const text = JSON.stringify(events);
    expect(text).not.toContain("431129197505052345");
    expect(text).not.toContain("91431129MA4L0XXX1K");
    expect(text).not.toContain(crypto.createHash("sha256").update("91431129MA4L0XXX1K").digest("hex"));
  });

  test("a bank account is not corrected here, a reason is required, and another court's party is 404: nothing written", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    const applicant = c.parties.find((p) => p.role === "applicant")!;
    expectProblem(await patchParty(applicant.id, { bankAccount: { bankName: "x", accountName: "x", accountNumber: "62170000111122223" }, reason: "换卡" }), 400, "validation_failed");
    expectProblem(await patchParty(applicant.id, { name: "刘某" }), 400, "validation_failed");
    expectProblem(await patchParty(applicant.id, { role: "debtor", reason: "改角色" }), 400, "validation_failed");
    const other = await courtWithStaff(t, "P2");
    expectProblem(await patchParty(applicant.id, { name: "刘某", reason: "越权" }, other.clerk), 404, "not_found");
    expect((await t.db.knex("parties").where({ id: applicant.id }).first()).name).toBe(applicant.name);
    expect(await eventsOf(applicant.id)).toEqual([]);
  });
});

describe("search by id number", () => {
  test("a full id number or credit code finds its case exactly, through the keyed hash; a part of one does not; names still match", async () => {
    const idNumber = `4311291980${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    const c = await createCase(t, s.clerk, s.court.id, { debtors: [{ name: unique("被执行人"), kind: "person", idNumber }] });
    const found = await search(idNumber);
    expect(found.status).toBe(200);
    expect(found.body.data.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect(found.text).not.toContain(idNumber);
    expect((await search(idNumber.slice(0, 12))).body.data).toEqual([]);
    const debtor = c.parties.find((p) => p.role === "debtor")!;
    expect((await search(debtor.name.slice(2))).body.data.map((x: { id: string }) => x.id)).toEqual([c.id]);

    // After a correction the new number finds the case and the old one no longer does.
    const corrected = `${idNumber.slice(0, 17)}X`;
    expect((await patchParty(debtor.id, { idNumber: corrected.toLowerCase(), reason: "末位录错" })).status).toBe(200);
    expect((await search(corrected)).body.data.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect((await search(idNumber)).body.data).toEqual([]);
    // Another court's clerk finds nothing.
    const other = await courtWithStaff(t, "P3");
    expect((await request(t.app).get("/v1/cases").query({ q: corrected }).set(other.clerk.auth)).body.data).toEqual([]);
  });
});

describe("the minor check and the public lookup use the corrected id number", () => {
  test("a debtor whose id number is corrected to a minor's cannot be listed", async () => {
    const c = await debtorCase(t, s);
    expect((await patchParty(c.debtorId, { idNumber: "43112920100601002X", reason: "身份证号录错" })).status).toBe(200);
    const res = await postListing(t, s.officer, listingBody(c, { decidedOn: "2024-06-03" }));
    expectProblem(res, 409, "invalid_state");
    expect(res.body.reason).toBe("minor");
  });

  test("an adult recorded with a minor's number by mistake is refused, and listed once the number is corrected", async () => {
    const c = await debtorCase(t, s, { idNumber: "43112920100601002X" });
    expect((await postListing(t, s.officer, listingBody(c, { decidedOn: "2024-06-03" }))).body.reason).toBe("minor");
    expect((await patchParty(c.debtorId, { idNumber: "431129197505052345", reason: "身份证号录错" })).status).toBe(200);
    const ok = await postListing(t, s.officer, listingBody(c, { decidedOn: "2024-06-03" }));
    expect(ok.status).toBe(201);
  });

  test("the public lookup shows the corrected number, masked", async () => {
    const name = unique("甄");
    const c = await debtorCase(t, s, { name, idNumber: "431129197505052345" });
    const l = await listDebtor(t, s, c, { decidedOn: "2024-06-03" });
    await publish(t, s, l.id, "court_website", "2024-06-05");
    expect((await patchParty(c.debtorId, { idNumber: "430000196001019876", reason: "身份证号录错" })).status).toBe(200);
    const res = await request(t.app).get("/v1/public/dishonest-debtors").query({ name });
    expect(res.status).toBe(200);
    expect(res.body.data.map((d: { idNumberMasked: string }) => d.idNumberMasked)).toEqual(["4300**********9876"]);
  });
});

describe("adding a party found later", () => {
  test("a co-debtor is added to the case, audited; an applicant's account waits for a second person", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    const res = await request(t.app)
      .post(`/v1/cases/${c.id}/parties`)
      .set(s.clerk.auth)
      .send({ role: "debtor", name: "共同被执行人", kind: "person", idNumber: "431129198802023456" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: "debtor", name: "共同被执行人", idNumberMasked: "4311**********3456", bankAccount: null });
    expect((await getCase(t, s.clerk, c.id)).parties.map((p) => p.id)).toContain(res.body.id);
    expect((await eventsOf(res.body.id)).map((e) => e.action)).toEqual(["party.added"]);
    expect((await t.db.knex("parties").where({ id: res.body.id }).first()).id_number_hash).toBe(keyedHash(key, "id_number", "431129198802023456"));

    const account = { bankName: "中国建设银行", accountName: "第二申请人", accountNumber: "6217000099998888777" };
    const withAccount = await request(t.app).post(`/v1/cases/${c.id}/parties`).set(s.clerk.auth).send({ role: "applicant", name: "第二申请人", kind: "person", bankAccount: account });
    expect(withAccount.status).toBe(201);
    expect(withAccount.body.bankAccount).toBeNull();
    const change = await t.db.knex("bank_account_changes").where({ party_id: withAccount.body.id }).first();
    expect(change).toMatchObject({ status: "pending", account_number: account.accountNumber, requested_by: s.clerk.id });
    const approved = await request(t.app).post(`/v1/bank-account-changes/${change.id}/approve`).set(s.approver.auth);
    expect(approved.status).toBe(200);
    const party = (await getCase(t, s.clerk, c.id)).parties.find((p) => p.id === withAccount.body.id) as unknown as { bankAccount: { accountNumberMasked: string } };
    expect(party.bankAccount.accountNumberMasked).toBe("****8777");
  });

  test("a bad role, an unknown field or another court's case: 4xx and nothing written", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    const add = (body: Record<string, unknown>, user = s.clerk, caseId = c.id) => request(t.app).post(`/v1/cases/${caseId}/parties`).set(user.auth).send(body);
    expectProblem(await add({ role: "agent", name: "某", kind: "person" }), 400, "validation_failed");
    expectProblem(await add({ role: "debtor", name: "某", kind: "person", note: "x" }), 400, "validation_failed");
    const other = await courtWithStaff(t, "P4");
    expectProblem(await add({ role: "debtor", name: "某", kind: "person" }, other.clerk), 404, "not_found");
    expect(await t.db.knex("parties").where({ case_id: c.id })).toHaveLength(2);
  });
});

describe("removing a party recorded by mistake", () => {
  const remove = (id: string, body: Record<string, unknown> = { reason: "误录" }, user = s.clerk) => request(t.app).post(`/v1/parties/${id}/remove`).set(user.auth).send(body);

  test("a party nothing hangs on is removed, and the event keeps what it was, masked", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    const added = await request(t.app).post(`/v1/cases/${c.id}/parties`).set(s.clerk.auth).send({ role: "debtor", name: "误录被执行人", kind: "person", idNumber: "431129198802023456" });
    const res = await remove(added.body.id, { reason: "并非本案被执行人" });
    expect(res.status).toBe(200);
    expect(res.body.parties.map((p: { id: string }) => p.id)).not.toContain(added.body.id);
    expect(await t.db.knex("parties").where({ id: added.body.id }).first()).toBeUndefined();
    const events = await eventsOf(added.body.id);
    expect(events.map((e) => e.action)).toEqual(["party.added", "party.removed"]);
    expect(events[1].data).toMatchObject({ caseId: c.id, reason: "并非本案被执行人", party: { name: "误录被执行人", idNumberMasked: "4311**********3456" } });
    expect(JSON.stringify(events)).not.toContain("431129198802023456");
    // The case's history still tells of the removed party.
    const history = await request(t.app).get(`/v1/cases/${c.id}/history`).set(s.clerk.auth);
    expect(history.body.data.map((e: { action: string }) => e.action)).toEqual(["case.created", "party.added", "party.removed"]);
  });

  test("a party with money set aside or paid to it, or a listing, is only corrected: 409; the last applicant or debtor stays; a reason is required", async () => {
    const c = await debtorCase(t, s);
    await listDebtor(t, s, c, { decidedOn: "2024-06-03" });
    const extra = await request(t.app).post(`/v1/cases/${c.caseId}/parties`).set(s.clerk.auth).send({ role: "debtor", name: "共同被执行人", kind: "person" });
    expect(extra.status).toBe(201);
    const listed = await remove(c.debtorId);
    expectProblem(listed, 409, "invalid_state");
    expect(listed.body.detail).toContain("listings");

    const paid = await createCase(t, s.clerk, s.court.id);
    const applicant = paid.parties.find((p) => p.role === "applicant")!;
    await request(t.app).post(`/v1/cases/${paid.id}/receipts`).set(s.clerk.auth).set("Idempotency-Key", crypto.randomUUID()).send({ amount: "10.00", receivedOn: "2024-03-01", source: "voluntary" });
    const batch = await request(t.app).post("/v1/payout-batches").set(s.clerk.auth).set("Idempotency-Key", crypto.randomUUID()).send({ courtId: s.court.id, items: [{ caseId: paid.id, partyId: applicant.id, amount: "10.00" }] });
    expect(batch.status).toBe(201);
    await request(t.app).post(`/v1/cases/${paid.id}/parties`).set(s.clerk.auth).send({ role: "applicant", name: "第二申请人", kind: "person" });
    const withMoney = await remove(applicant.id);
    expectProblem(withMoney, 409, "invalid_state");
    expect(withMoney.body.detail).toContain("payout items");

    const lone = await createCase(t, s.clerk, s.court.id);
    expectProblem(await remove(lone.parties.find((p) => p.role === "debtor")!.id), 409, "invalid_state");
    expectProblem(await remove(lone.parties.find((p) => p.role === "debtor")!.id, {}), 400, "validation_failed");
    expect(await t.db.knex("parties").where({ case_id: lone.id })).toHaveLength(2);
    expect(await t.db.knex("audit_events").where({ action: "party.removed" }).whereRaw("data->>'caseId' IN (?, ?, ?)", [c.caseId, paid.id, lone.id])).toEqual([]);
  });
});
