import request from "supertest";
import { courtWithStaff } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { debtorCase, listingBody, postListing } from "../listings/factories";

/** Issue 17, finding 6: smaller leaks. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

test("an inspector of one court reads none of the events that belong to no court (other courts' users, sign-ins)", async () => {
  const a = await courtWithStaff(t);
  await courtWithStaff(t); // another court's users: user.created events of no court
  const seen = await request(t.app).get("/v1/audit-events").query({ limit: 500 }).set(a.inspector.auth);
  expect(seen.status).toBe(200);
  expect(seen.body.data.length).toBeGreaterThan(0);
  expect(seen.body.data.every((e: { courtId: string | null }) => e.courtId === a.court.id)).toBe(true);
  expect(seen.body.data.some((e: { action: string }) => e.action === "user.created")).toBe(false);
  // An admin still reads them all.
  const all = await request(t.app).get("/v1/audit-events").query({ entityType: "user", limit: 500 }).set(t.admin.auth);
  expect(all.body.data.length).toBeGreaterThanOrEqual(12);
});

test("refusing to list a minor does not tell the list officer the debtor's birth date", async () => {
  const w = await courtWithStaff(t, "L");
  const c = await debtorCase(t, w, { idNumber: "43112920060601002X" });
  const refused = await postListing(t, w.officer, listingBody(c, { decidedOn: "2024-05-31" }));
  expectProblem(refused, 409, "invalid_state");
  expect(refused.body.reason).toBe("minor");
  expect(JSON.stringify(refused.body)).not.toMatch(/2006|06-01|0601/);
});
