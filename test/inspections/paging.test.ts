import request from "supertest";
import { courtWithStaff, createCase, type Staff } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";
import { startTestApp, type TestApp, type TestUser } from "../helpers/test-app";
import { addDays, todayInChina } from "../../api/core/dates";

/** Issue 15: the findings and complaints lists page by cursor, as the API's other lists do (no 2,000 cap). */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const today = todayInChina();
const post = (user: TestUser, path: string, body: unknown) => request(t.app).post(path).set(user.auth).send(body as object);

/** Every page of a list, following nextCursor; fails if the list never ends. */
async function allPages(user: TestUser, path: string, query: Record<string, string | number>) {
  const pages: { id: string; [k: string]: unknown }[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i += 1) {
    const res = await request(t.app).get(path).query({ ...query, ...(cursor ? { cursor } : {}) }).set(user.auth);
    expect(res.status).toBe(200);
    pages.push(res.body.data);
    if (res.body.nextCursor === null) return pages;
    cursor = res.body.nextCursor;
  }
  throw new Error("the list did not end");
}

async function courtWithFindings(n: number) {
  const s: Staff = await courtWithStaff(t);
  const c = await createCase(t, s.clerk, s.court.id);
  const insp = await post(s.inspector, "/v1/inspections", { courtId: s.court.id, name: "巡察组进驻", from: "2026-09-01", to: "2026-11-30" });
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    // Pairs of findings share a foundOn: the cursor must order ties, not skip or repeat them.
    const res = await post(s.inspector, `/v1/inspections/${insp.body.id}/findings`, {
      category: "other",
      description: `问题 ${i}`,
      severity: "low",
      entities: [{ type: "case", id: c.id }],
      foundOn: addDays(today, -10 + Math.floor(i / 2)),
      rectifyBy: addDays(today, i % 3 === 0 ? -1 : 30),
    });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  return { s, inspectionId: insp.body.id as string, ids };
}

describe("findings, a page at a time", () => {
  test("seven findings in pages of three: 3 + 3 + 1, in foundOn order, none repeated or skipped, the last page says there is no next", async () => {
    const { s, inspectionId, ids } = await courtWithFindings(7);
    const pages = await allPages(s.inspector, "/v1/findings", { inspectionId, limit: 3 });
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat().map((f) => f.id)).toEqual(ids);
    // The court's staff page through the same list.
    const asClerk = await allPages(s.clerk, "/v1/findings", { courtId: s.court.id, limit: 5 });
    expect(asClerk.flat().map((f) => f.id)).toEqual(ids);
  });

  test("a filter holds on every page: overdue findings in pages of one", async () => {
    const { s, inspectionId, ids } = await courtWithFindings(7);
    const pages = await allPages(s.inspector, "/v1/findings", { inspectionId, status: "overdue", limit: 1 });
    expect(pages.flat().map((f) => f.id)).toEqual([ids[0], ids[3], ids[6]]);
    expect(pages.flat().every((f) => f.overdue === true)).toBe(true);
  });

  test("without limit a page holds 50; a forged cursor or a limit out of range is a 400", async () => {
    const { s, inspectionId } = await courtWithFindings(1);
    const first = await request(t.app).get("/v1/findings").query({ inspectionId }).set(s.inspector.auth);
    expect(first.body).toMatchObject({ nextCursor: null });
    expect(first.body.data).toHaveLength(1);
    const forged = Buffer.from(JSON.stringify(["2026-01-01", "'; DROP TABLE findings; --", "x"])).toString("base64url");
    expectProblem(await request(t.app).get("/v1/findings").query({ inspectionId, cursor: forged }).set(s.inspector.auth), 400, "validation_failed");
    expectProblem(await request(t.app).get("/v1/findings").query({ inspectionId, limit: 0 }).set(s.inspector.auth), 400, "validation_failed");
    expectProblem(await request(t.app).get("/v1/findings").query({ inspectionId, limit: 501 }).set(s.inspector.auth), 400, "validation_failed");
  });
});

describe("letters and visits, a page at a time", () => {
  test("six complaints in pages of four: newest first, ties on the same day kept in a stable order, every one once", async () => {
    const s = await courtWithStaff(t);
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await post(s.clerk, "/v1/complaints", {
        courtId: s.court.id,
        receivedOn: addDays(today, -20 + Math.floor(i / 2)),
        channel: "letter",
        complainantName: `来信人${i}`,
        summary: "案款未发放",
        replyBy: addDays(today, 10),
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const pages = await allPages(s.inspector, "/v1/complaints", { courtId: s.court.id, limit: 4 });
    expect(pages.map((p) => p.length)).toEqual([4, 2]);
    const seen = pages.flat();
    expect(new Set(seen.map((c) => c.id))).toEqual(new Set(ids));
    const days = seen.map((c) => c.receivedOn as string);
    expect(days).toEqual([...days].sort().reverse());
    // The clerk's pages hold the same complaints, the names masked.
    const asClerk = (await allPages(s.clerk, "/v1/complaints", { courtId: s.court.id, limit: 4 })).flat();
    expect(asClerk.map((c) => c.id)).toEqual(seen.map((c) => c.id));
    expect(asClerk.every((c) => /^来\*+$/.test(c.complainantName as string))).toBe(true);
  });
});
