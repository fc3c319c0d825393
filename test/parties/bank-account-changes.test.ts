import request from "supertest";
import { courtWithStaff, createCase, getCase } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const newAccount = { bankName: "中国建设银行永州分行", accountName: "新账户", accountNumber: "6217000011112222333" };

describe("changing an applicant's bank account takes a second person", () => {
  test("a clerk's change takes effect only when an approver approves it", async () => {
    const { court, clerk, approver } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const applicant = c.parties.find((p) => p.role === "applicant")!;
    const asked = await request(t.app).post(`/v1/parties/${applicant.id}/bank-account-changes`).set(clerk.auth).send({ bankAccount: newAccount });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ status: "pending", partyId: applicant.id, bankAccount: { accountNumberMasked: "****2333" } });
    let party = (await getCase(t, clerk, c.id)).parties.find((p) => p.id === applicant.id) as unknown as { bankAccount: { accountNumberMasked: string } };
    expect(party.bankAccount.accountNumberMasked).toBe("****9012");

    const approved = await request(t.app).post(`/v1/bank-account-changes/${asked.body.id}/approve`).set(approver.auth);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", approvedBy: approver.id });
    party = (await getCase(t, clerk, c.id)).parties.find((p) => p.id === applicant.id) as unknown as { bankAccount: { accountNumberMasked: string } };
    expect(party.bankAccount.accountNumberMasked).toBe("****2333");
    expect((await t.db.knex("parties").where({ id: applicant.id }).first()).bank_account_number).toBe(newAccount.accountNumber);

    const twice = await request(t.app).post(`/v1/bank-account-changes/${asked.body.id}/approve`).set(approver.auth);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe("invalid_state");
  });

  test("the requester cannot approve her own change, even holding the approver role: 403 same_person", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const both = await t.user(["clerk", "approver"], [court.id]);
    const c = await createCase(t, clerk, court.id);
    const applicant = c.parties.find((p) => p.role === "applicant")!;
    const asked = await request(t.app).post(`/v1/parties/${applicant.id}/bank-account-changes`).set(both.auth).send({ bankAccount: newAccount });
    const res = await request(t.app).post(`/v1/bank-account-changes/${asked.body.id}/approve`).set(both.auth);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("same_person");
    expect((await t.db.knex("parties").where({ id: applicant.id }).first()).bank_account_number).toBe("6228480123456789012");
  });

  test("a debtor's account cannot be changed, and another court's approver gets 404", async () => {
    const a = await courtWithStaff(t);
    const b = await courtWithStaff(t);
    const c = await createCase(t, a.clerk, a.court.id);
    const debtor = c.parties.find((p) => p.role === "debtor")!;
    const res = await request(t.app).post(`/v1/parties/${debtor.id}/bank-account-changes`).set(a.clerk.auth).send({ bankAccount: newAccount });
    expect(res.status).toBe(409);
    const applicant = c.parties.find((p) => p.role === "applicant")!;
    const asked = await request(t.app).post(`/v1/parties/${applicant.id}/bank-account-changes`).set(a.clerk.auth).send({ bankAccount: newAccount });
    const foreign = await request(t.app).post(`/v1/bank-account-changes/${asked.body.id}/approve`).set(b.approver.auth);
    expect(foreign.status).toBe(404);
  });

  test("an account number with blanks or letters is a 400", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const applicant = c.parties.find((p) => p.role === "applicant")!;
    const res = await request(t.app)
      .post(`/v1/parties/${applicant.id}/bank-account-changes`)
      .set(clerk.auth)
      .send({ bankAccount: { ...newAccount, accountNumber: "6217 0000 1111" } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe("body.bankAccount.accountNumber");
  });
});

