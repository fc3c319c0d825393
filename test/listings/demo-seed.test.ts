import request from "supertest";
import type { Actor } from "../../api/core/actor";
import { todayInChina } from "../../api/core/dates";
import { seedDemoListings, type DemoListingsResult } from "../../scripts/demo/demo-listings";
import { startTestApp, type TestApp, type TestUser } from "../helpers/test-app";
import { listWorld, type ListWorld } from "./factories";

let t: TestApp;
let w: ListWorld;
let seeded: DemoListingsResult;
const actor = (u: TestUser, role: Actor["roles"][number], courtId: string): Actor => ({ id: u.id, name: u.name, roles: [role], courtIds: [courtId] });

beforeAll(async () => {
  t = await startTestApp();
  w = await listWorld(t);
  seeded = await t.inOneTransaction((call) =>
    seedDemoListings(call, {
      courtId: w.court.id,
      clerk: actor(w.clerk, "clerk", w.court.id),
      listOfficer: actor(w.officer, "list_officer", w.court.id),
      approver: actor(w.approver, "approver", w.court.id),
    }),
  );
});
afterAll(async () => {
  await t.close();
});

describe("the demo seed of the debtor list", () => {
  test("has a listing in each state, built through the services and audited", async () => {
    const get = async (id: string) => (await request(t.app).get(`/v1/listings/${id}`).set(w.inspector.auth)).body;
    expect(await get(seeded.listings.published)).toMatchObject({ status: "active", removalDueBy: null });
    expect(await get(seeded.listings.removalPending)).toMatchObject({ status: "removal_pending", removal: { ground: "settlement_performed" } });
    expect(await get(seeded.listings.removed)).toMatchObject({ status: "removed", removalDueBy: "2025-10-11", removalCompletedOn: "2025-10-09", removalOnTime: true });
    expect(await get(seeded.listings.expired)).toMatchObject({ status: "expired", removalDueBy: "2024-10-10", removalOverdue: true });
    expect(await get(seeded.listings.removalOverdue)).toMatchObject({ status: "active", removalDueBy: "2024-10-10", removalOverdue: true });
    const objected = await get(seeded.listings.objected);
    expect(objected.objections).toEqual([expect.objectContaining({ status: "pending", reviewOverdue: false })]);
    const audited = await t.db.knex("audit_events").whereIn("entity_id", Object.values(seeded.listings)).where({ action: "listing.created" });
    expect(audited).toHaveLength(6);
  });

  test("the public lookup finds the published debtor, and the overdue filter the two late ones", async () => {
    const pub = await request(t.app).get("/v1/public/dishonest-debtors").query({ name: "唐建军" });
    expect(pub.body.data).toEqual([expect.objectContaining({ name: "唐建军", idNumberMasked: "4311**********0017" })]);
    const overdue = await request(t.app).get("/v1/listings").query({ courtId: w.court.id, removalOverdue: "true" }).set(w.officer.auth);
    expect(overdue.body.data.map((l: { id: string }) => l.id).sort()).toEqual([seeded.listings.expired, seeded.listings.removalOverdue].sort());
  });

  test("a bank deposit freeze lapses within two weeks and shows in the expiring list", async () => {
    const res = await request(t.app).get("/v1/freezes").query({ courtId: w.court.id, expiringWithinDays: 14 }).set(w.clerk.auth);
    expect(res.body.data).toEqual([expect.objectContaining({ id: seeded.freezes.expiringSoon, assetType: "bank_deposit", status: "active" })]);
    expect(res.body.data[0].daysUntilExpiry).toBeLessThanOrEqual(14);
    const released = await request(t.app).get(`/v1/freezes/${seeded.freezes.released}`).set(w.clerk.auth);
    expect(released.body).toMatchObject({ status: "released" });
    expect(todayInChina() >= released.body.releasedOn).toBe(true);
  });
});
