import request from "supertest";
import { createCase, newKey, receive, type CaseView } from "../helpers/factories";
import type { TestApp, TestUser } from "../helpers/test-app";

export type { Staff } from "../helpers/factories";
import type { Staff } from "../helpers/factories";

export interface FundedCase extends CaseView {
  applicantId: string;
  debtorId: string;
}

/** A case of the court holding `amount` (one receipt on `receivedOn`). */
export async function fundedCase(t: TestApp, s: Staff, amount: string, receivedOn = "2024-03-01", overrides: Record<string, unknown> = {}): Promise<FundedCase> {
  const c = await createCase(t, s.clerk, s.court.id, { adjudicatedAmount: "9999999.00", ...overrides });
  if (amount !== "0") await receive(t, s.clerk, c.id, amount, receivedOn);
  const applicant = c.parties.find((p) => p.role === "applicant");
  const debtor = c.parties.find((p) => p.role === "debtor");
  if (!applicant || !debtor) throw new Error("the factory case has an applicant and a debtor");
  return { ...c, applicantId: applicant.id, debtorId: debtor.id };
}

export const item = (c: FundedCase, amount: string) => ({ caseId: c.id, partyId: c.applicantId, amount });

export function postBatch(t: TestApp, clerk: TestUser, body: Record<string, unknown>, key: string = newKey()) {
  return request(t.app).post("/v1/payout-batches").set(clerk.auth).set("Idempotency-Key", key).send(body);
}

export interface BatchView {
  id: string;
  courtId: string;
  status: string;
  items: { id: string; line: number; caseId: string; partyId: string; amount: string; status: string; payee: Record<string, string> | null; [k: string]: unknown }[];
  totals: Record<string, unknown> & { items: number; cases: number; amount: string };
  [key: string]: unknown;
}

/** Creates a draft and fails loudly if it is refused. */
export async function draft(t: TestApp, s: Staff, items: Record<string, unknown>[], clerk: TestUser = s.clerk): Promise<BatchView> {
  const res = await postBatch(t, clerk, { courtId: s.court.id, items });
  if (res.status !== 201) throw new Error(`batch creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function act(t: TestApp, user: TestUser, batchId: string, action: "submit" | "approve" | "reject" | "cancel", body?: Record<string, unknown>) {
  const req = request(t.app).post(`/v1/payout-batches/${batchId}/${action}`).set(user.auth);
  return body === undefined ? req : req.send(body);
}

export function execute(t: TestApp, finance: TestUser, batchId: string, body: Record<string, unknown>, key: string = newKey()) {
  return request(t.app).post(`/v1/payout-batches/${batchId}/execute`).set(finance.auth).set("Idempotency-Key", key).send(body);
}

export function returnItem(t: TestApp, finance: TestUser, batchId: string, itemId: string, body: Record<string, unknown>, key: string = newKey()) {
  return request(t.app).post(`/v1/payout-batches/${batchId}/items/${itemId}/return`).set(finance.auth).set("Idempotency-Key", key).send(body);
}

async function expectOk(res: request.Response, what: string): Promise<BatchView> {
  if (res.status !== 200) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** draft → submitted → approved, by three different people. */
export async function approved(t: TestApp, s: Staff, items: Record<string, unknown>[]): Promise<BatchView> {
  const b = await draft(t, s, items);
  await expectOk(await act(t, s.clerk, b.id, "submit"), "submit");
  return expectOk(await act(t, s.approver, b.id, "approve"), "approve");
}

export async function executed(t: TestApp, s: Staff, items: Record<string, unknown>[], paidOn = "2024-04-01"): Promise<BatchView> {
  const b = await approved(t, s, items);
  return expectOk(await execute(t, s.finance, b.id, { paidOn }), "execute");
}

export async function expectReconciled(t: TestApp, s: Staff): Promise<void> {
  const res = await request(t.app).get("/v1/reconciliation").query({ courtId: s.court.id }).set(s.finance.auth);
  expect(res.status).toBe(200);
  expect(res.body.difference).toBe("0.00");
  expect(res.body.bankBalance).toBe(res.body.caseBalancesTotal);
}

