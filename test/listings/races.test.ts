import request from "supertest";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { debtorCase, listDebtor, listWorld, listingBody, postListing, type ListWorld } from "./factories";

// Meaningful on real PostgreSQL (npm run test:pg); on PGlite the requests are serialised and the
// outcome must be the same.
let t: TestApp;
let w: ListWorld;
beforeAll(async () => {
  t = await startTestApp();
  w = await listWorld(t);
});
afterAll(async () => {
  await t.close();
});

describe("racing requests on the debtor list", () => {
  test("ten simultaneous listings of one debtor: exactly one is created, the others are 409", async () => {
    const c = await debtorCase(t, w);
    const results = await Promise.all(Array.from({ length: 10 }, () => postListing(t, w.officer, listingBody(c))));
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(await t.db.knex("listings").where({ party_id: c.debtorId })).toHaveLength(1);
    expect(await t.db.knex("audit_events").where({ action: "listing.created" }).whereIn("entity_id", results.filter((r) => r.status === 201).map((r) => r.body.id))).toHaveLength(1);
  });

  test("two approvers approving one removal at once: one removes it, the other gets 409", async () => {
    const l = await listDebtor(t, w, await debtorCase(t, w));
    expect((await request(t.app).post(`/v1/listings/${l.id}/removal`).set(w.officer.auth).send({ ground: "no_assets_found" })).status).toBe(200);
    const [a, b] = await Promise.all([w.approver, w.approver2].map((u) => request(t.app).post(`/v1/listings/${l.id}/removal/approve`).set(u.auth)));
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const removedEvents = await t.db.knex("audit_events").where({ entity_id: l.id, action: "listing.removed" });
    expect(removedEvents).toHaveLength(1);
  });

  test("simultaneous publications on one channel: one is recorded", async () => {
    const l = await listDebtor(t, w, await debtorCase(t, w));
    const results = await Promise.all(
      Array.from({ length: 5 }, () => request(t.app).post(`/v1/listings/${l.id}/publications`).set(w.officer.auth).send({ channel: "national_portal", publishedOn: "2024-06-05", note: "补录" })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await t.db.knex("listing_publications").where({ listing_id: l.id })).toHaveLength(1);
  });
});
