import crypto from "node:crypto";
import request from "supertest";
import type { TestApp, TestUser } from "./test-app";
import { unique } from "./test-app";

let seq = 0;

/** A valid body for POST /v1/cases, with a case number no other test uses. */
export function caseBody(courtId: string, overrides: Record<string, unknown> = {}) {
  seq++;
  return {
    courtId,
    caseNumber: `(2024)湘1129执${unique("")}${seq}号`,
    cause: "借款合同纠纷",
    filedOn: "2024-01-15",
    adjudicatedAmount: "80000.00",
    applicants: [
      {
        name: `申请人${seq}`,
        kind: "person",
        idNumber: "431129198001011234",
        bankAccount: { bankName: "中国农业银行江华支行", accountName: `申请人${seq}`, accountNumber: "6228480123456789012" },
      },
    ],
    debtors: [{ name: `被执行人${seq}`, kind: "person", idNumber: "431129197505052345" }],
    ...overrides,
  };
}

export interface CaseView {
  id: string;
  courtId: string;
  parties: { id: string; role: string; name: string }[];
  balances: Record<string, string>;
  [key: string]: unknown;
}

export async function createCase(t: TestApp, clerk: TestUser, courtId: string, overrides: Record<string, unknown> = {}): Promise<CaseView> {
  const res = await request(t.app).post("/v1/cases").set(clerk.auth).send(caseBody(courtId, overrides));
  if (res.status !== 201) throw new Error(`case creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const newKey = () => crypto.randomUUID();

export function postReceipt(t: TestApp, user: TestUser, caseId: string, body: Record<string, unknown>, key: string = newKey()) {
  return request(t.app).post(`/v1/cases/${caseId}/receipts`).set(user.auth).set("Idempotency-Key", key).send(body);
}

/** Records a receipt and fails loudly if it is refused. */
export async function receive(t: TestApp, user: TestUser, caseId: string, amount: string, receivedOn = "2024-03-01") {
  const res = await postReceipt(t, user, caseId, { amount, receivedOn, source: "voluntary" });
  if (res.status !== 201) throw new Error(`receipt failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; amount: string; disburseBy: string };
}

export async function getCase(t: TestApp, user: TestUser, caseId: string): Promise<CaseView> {
  const res = await request(t.app).get(`/v1/cases/${caseId}`).set(user.auth);
  if (res.status !== 200) throw new Error(`get case failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * The one "court with its staff" of the suite: a clerk, a finance officer, a list officer, two
 * approvers (so that four eyes and multi-level approval can be shown) and an inspector.
 */
export interface Staff {
  court: { id: string; code: string; name: string };
  clerk: TestUser;
  finance: TestUser;
  officer: TestUser;
  approver: TestUser;
  approver2: TestUser;
  inspector: TestUser;
}

export async function courtWithStaff(t: TestApp, codePrefix = "C"): Promise<Staff> {
  const court = await t.court(codePrefix);
  const ids = [court.id];
  const [clerk, finance, officer, approver, approver2, inspector] = await Promise.all([
    t.user(["clerk"], ids),
    t.user(["finance"], ids),
    t.user(["list_officer"], ids),
    t.user(["approver"], ids),
    t.user(["approver"], ids),
    t.user(["inspector"], ids),
  ]);
  return { court, clerk, finance, officer, approver, approver2, inspector };
}
