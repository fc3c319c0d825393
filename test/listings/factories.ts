import request from "supertest";
import { todayInChina } from "../../api/core/dates";
import { courtWithStaff, createCase, receive, type Staff } from "../helpers/factories";
import { unique, type TestApp, type TestUser } from "../helpers/test-app";

/** The debtor list's tests use the suite's one court-with-staff. */
export type ListWorld = Staff;
export const listWorld = (t: TestApp): Promise<ListWorld> => courtWithStaff(t, "L");

export interface DebtorCase {
  caseId: string;
  caseNumber: string;
  debtorId: string;
  debtorName: string;
  applicantId: string;
  adjudicatedAmount: string;
}

/** A case made through POST /v1/cases, with one applicant and one debtor (an adult by default). */
export async function debtorCase(
  t: TestApp,
  w: ListWorld,
  debtor: { name?: string; kind?: "person" | "organization"; idNumber?: string | null } = {},
  overrides: Record<string, unknown> = {},
): Promise<DebtorCase> {
  const name = debtor.name ?? unique("被执行人");
  const party: Record<string, unknown> = { name, kind: debtor.kind ?? "person" };
  const idNumber = debtor.idNumber === undefined ? "431129197505052345" : debtor.idNumber;
  if (idNumber !== null) party.idNumber = idNumber;
  const c = await createCase(t, w.clerk, w.court.id, { filedOn: "2022-01-10", adjudicatedAmount: "1000.00", debtors: [party], ...overrides });
  const applicant = c.parties.find((p) => p.role === "applicant")!;
  const d = c.parties.find((p) => p.role === "debtor")!;
  return { caseId: c.id, caseNumber: String(c.caseNumber), debtorId: d.id, debtorName: d.name, applicantId: applicant.id, adjudicatedAmount: String(c.adjudicatedAmount) };
}

/** Receipts up to the adjudicated amount, the last one on `on`: the case becomes fully performed on that day. */
export async function fullyPerform(t: TestApp, w: ListWorld, c: DebtorCase, on: string): Promise<void> {
  await receive(t, w.finance, c.caseId, c.adjudicatedAmount, on);
}

export function postListing(t: TestApp, user: TestUser, body: Record<string, unknown>) {
  return request(t.app).post("/v1/listings").set(user.auth).send(body);
}

export function listingBody(c: DebtorCase, overrides: Record<string, unknown> = {}) {
  return {
    caseId: c.caseId,
    partyId: c.debtorId,
    ground: "able_but_refuses",
    decisionNumber: unique("(2024)湘1129执限"),
    decidedOn: "2024-06-03",
    // Entered long after the decision (issue 14 item 9): a note says why.
    note: "补录：决定书于当日作出",
    ...overrides,
  };
}

export interface ListingBody {
  id: string;
  status: string;
  expiresOn: string | null;
  removalDueBy: string | null;
  removalOverdue: boolean;
  publications: { id: string; channel: string; withdrawnOn: string | null; awaitingWithdrawal: boolean }[];
  objections: { id: string; status: string; reviewDueBy: string; actionDueBy: string | null }[];
  [key: string]: unknown;
}

/** Lists the debtor and fails loudly if refused. */
export async function listDebtor(t: TestApp, w: ListWorld, c: DebtorCase, overrides: Record<string, unknown> = {}): Promise<ListingBody> {
  const res = await postListing(t, w.officer, listingBody(c, overrides));
  if (res.status !== 201) throw new Error(`listing failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function publish(t: TestApp, w: ListWorld, listingId: string, channel = "court_website", publishedOn = "2024-06-05"): Promise<ListingBody> {
  const res = await request(t.app).post(`/v1/listings/${listingId}/publications`).set(w.officer.auth).send({ channel, publishedOn, note: "补录" });
  if (res.status !== 201) throw new Error(`publication failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function getListing(t: TestApp, user: TestUser, id: string): Promise<ListingBody> {
  const res = await request(t.app).get(`/v1/listings/${id}`).set(user.auth);
  if (res.status !== 200) throw new Error(`get listing failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const today = () => todayInChina();

/** Audit events about one entity, oldest first. */
export async function auditActions(t: TestApp, entityId: string): Promise<string[]> {
  const rows = await t.db.knex("audit_events").where({ entity_id: entityId }).orderBy("seq").select("action");
  return rows.map((r: { action: string }) => r.action);
}
