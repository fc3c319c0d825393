import crypto from "node:crypto";
import request from "supertest";
import { courtWithStaff } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { executed, fundedCase, item, returnItem, type Staff } from "../payouts/payout-helpers";

/**
 * Issue 15: the proof pack an inspector takes away, and its verification against today's data.
 * Each test builds its own court; the ones that edit records behind the application's back edit
 * only their own court's rows.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const period = { from: "2024-03-01", to: "2024-03-31" };

function download(s: Staff, query: Record<string, string> = period, user = s.inspector) {
  return request(t.app).get("/v1/reports/disbursements/proof").query({ courtId: s.court.id, ...query }).set(user.auth);
}

function verify(s: Staff, pack: unknown, user = s.inspector) {
  return request(t.app).post("/v1/reports/disbursements/proof/verify").set(user.auth).send(pack as object);
}

/** Two payouts in March, one of them returned in March: two payout rows (one counted), one return row. */
async function marchWithAReturn(s: Staff) {
  const a = await fundedCase(t, s, "500.00", "2024-02-10");
  const b = await fundedCase(t, s, "500.00", "2024-02-10");
  const batch = await executed(t, s, [item(a, "300.00"), item(b, "200.00")], "2024-03-15");
  const [kept, returned] = batch.items;
  await returnItem(t, s.finance, batch.id, returned.id, { returnedOn: "2024-03-20", reason: "account closed" }).expect(200);
  return { batch, kept, returned };
}

/** Behind the application's back, as the database's superuser: no trigger and no foreign key checks. */
async function editBehindTheAppsBack(sql: string, bindings: unknown[]) {
  await t.db.knex.transaction(async (tx) => {
    await tx.raw("SET LOCAL session_replication_role = replica");
    await tx.raw(sql, bindings as never[]);
  });
}

/** docs/rules/proof-pack.md, written again from the page alone, as an inspector's script would. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
}
const sha256 = (s: string) => crypto.createHash("sha256").update(Buffer.from(s, "utf8")).digest("hex");

describe("the pack an inspector downloads", () => {
  test("the report's figures, every payout and return as rows, digests and a fingerprint a short script recomputes, the audit head", async () => {
    const s = await courtWithStaff(t);
    const { kept, returned } = await marchWithAReturn(s);
    const res = await download(s);
    expect(res.status).toBe(200);
    const pack = res.body;

    const report = await request(t.app).get("/v1/reports/disbursements").query({ courtId: s.court.id, ...period }).set(s.inspector.auth);
    const { generatedAt: _a, ...figures } = report.body;
    const { generatedAt: _b, ...packFigures } = pack.report;
    expect(packFigures).toEqual(figures);
    expect(pack.scope).toEqual({ courtIds: [s.court.id], from: "2024-03-01", to: "2024-03-31", payouts: 1, total: "300.00" });

    expect(pack.rows.map((r: { rowId: string }) => r.rowId)).toEqual([`payout:${kept.id}`, `return:${returned.id}`]);
    expect(pack.rows[0]).toMatchObject({ kind: "payout", amount: "300.00", paidOn: "2024-03-15", receivedOn: "2024-02-10", daysHeld: 34 });
    expect(pack.rows[1]).toMatchObject({ kind: "return", amount: "200.00", paidOn: "2024-03-15", returnedOn: "2024-03-20", reason: "account closed" });

    // The account number is never whole: masked, and a keyed digest beside it.
    const account = (await t.db.knex("payout_items").where({ id: kept.id }).first()).payee_account_number as string;
    expect(JSON.stringify(pack)).not.toContain(account);
    expect(pack.rows[0].payeeAccountMasked).toBe(`****${account.slice(-4)}`);
    expect(pack.rows[0].payeeAccountDigest).toMatch(/^[0-9a-f]{64}$/);

    // The documented form: digest = sha256(canonical row without digest); fingerprint over the format line, the scope and the digests.
    for (const row of pack.rows) {
      const { digest, ...content } = row;
      expect(sha256(canonical(content))).toBe(digest);
    }
    const text = `proof-pack/v1\n${canonical(pack.scope)}\n${pack.rows.map((r: { digest: string }) => `${r.digest}\n`).join("")}`;
    expect(sha256(text)).toBe(pack.fingerprint);

    const head = await t.db.knex("audit_heads").where({ chain: s.court.id }).first();
    expect(pack.auditHeads).toEqual([{ courtId: s.court.id, chainSeq: String(head.seq), hash: head.hash }]);
  });

  test("another court's pack is 404; a clerk is 403; a bad period is 400", async () => {
    const a = await courtWithStaff(t);
    const b = await courtWithStaff(t);
    expect((await download(a, { ...period, courtId: b.court.id })).status).toBe(404);
    expect((await download(a, period, a.clerk)).status).toBe(403);
    const bad = await download(a, { from: "2024-03-31", to: "2024-03-01" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain("query.to");
  });
});

describe("verify: today's data against the pack", () => {
  test("nothing changed: matches, no differences, the pack's audit head is in the trail, nothing is written", async () => {
    const s = await courtWithStaff(t);
    await marchWithAReturn(s);
    const pack = (await download(s)).body;
    const headBefore = await t.db.knex("audit_heads").where({ chain: s.court.id }).first();
    const res = await verify(s, pack, s.approver);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ matches: true, fingerprint: pack.fingerprint, currentFingerprint: pack.fingerprint, rowsInPack: 2, rowsNow: 2, differences: [], differencesTotal: 0 });
    expect(res.body.auditHeads).toEqual([{ ...pack.auditHeads[0], inTrail: true }]);
    expect(await t.db.knex("audit_heads").where({ chain: s.court.id }).first()).toEqual(headBefore);
  });

  test("a payout's account altered through SQL: verify names that row and the member, and only that row", async () => {
    const s = await courtWithStaff(t);
    const { kept } = await marchWithAReturn(s);
    const pack = (await download(s)).body;
    // One digit in the middle: the masked form is the same, the keyed digest is not.
    await editBehindTheAppsBack(`UPDATE payout_items SET payee_account_number = overlay(payee_account_number placing (CASE WHEN substr(payee_account_number, 3, 1) = '9' THEN '1' ELSE '9' END) from 3 for 1) WHERE id = ?`, [kept.id]);
    const res = await verify(s, pack);
    expect(res.status).toBe(200);
    expect(res.body.matches).toBe(false);
    expect(res.body.currentFingerprint).not.toBe(pack.fingerprint);
    expect(res.body.differences).toEqual([{ rowId: `payout:${kept.id}`, kind: "changed", fields: ["payeeAccountDigest"] }]);
  });

  test("a payout's amount altered in the journal: the row and its amount are named", async () => {
    const s = await courtWithStaff(t);
    const { kept } = await marchWithAReturn(s);
    const pack = (await download(s)).body;
    await editBehindTheAppsBack(`UPDATE journal_entries SET amount = 30.00 WHERE payout_item_id = ? AND kind = 'payout'`, [kept.id]);
    const res = await verify(s, pack);
    expect(res.body.matches).toBe(false);
    // The report's figures moved with it.
    expect(res.body.differences).toEqual([
      { rowId: "report", kind: "changed", fields: ["byCourt", "byMonth", "display", "summary", "total"] },
      { rowId: `payout:${kept.id}`, kind: "changed", fields: ["amount"] },
    ]);
  });

  test("a return deleted: the return is missing, and the payout it cancelled comes back as added", async () => {
    const s = await courtWithStaff(t);
    const { returned } = await marchWithAReturn(s);
    const pack = (await download(s)).body;
    const entry = await t.db.knex("journal_entries").where({ payout_item_id: returned.id, kind: "payout_return" }).first();
    await editBehindTheAppsBack(`DELETE FROM journal_lines WHERE entry_seq = ?`, [entry.seq]);
    await editBehindTheAppsBack(`DELETE FROM journal_entries WHERE seq = ?`, [entry.seq]);
    const res = await verify(s, pack);
    expect(res.status).toBe(200);
    expect(res.body.matches).toBe(false);
    expect(res.body.differences).toEqual([
      { rowId: "report", kind: "changed", fields: expect.arrayContaining(["payouts", "total", "timeliness"]) },
      { rowId: `payout:${returned.id}`, kind: "added" },
      { rowId: `return:${returned.id}`, kind: "missing" },
    ]);
    expect(res.body).toMatchObject({ rowsInPack: 2, rowsNow: 2, differencesTotal: 3 });
  });

  test("a payout recorded after the pack was made, in the pack's period: added", async () => {
    const s = await courtWithStaff(t);
    await marchWithAReturn(s);
    const pack = (await download(s)).body;
    const c = await fundedCase(t, s, "100.00", "2024-02-01");
    const late = await executed(t, s, [item(c, "100.00")], "2024-03-30");
    const res = await verify(s, pack);
    expect(res.body.matches).toBe(false);
    expect(res.body.differences.map((d: { rowId: string }) => d.rowId)).toEqual(["report", `payout:${late.items[0].id}`]);
    expect(res.body.differences[1]).toEqual({ rowId: `payout:${late.items[0].id}`, kind: "added" });
    expect(res.body.auditHeads[0].inTrail).toBe(true);
    expect(res.body.currentAuditHeads[0].chainSeq).not.toBe(pack.auditHeads[0].chainSeq);
  });
});

describe("the report carried in the pack", () => {
  test("a sentence doctored in the pack's report (outside the fingerprint): matches is false and the report's member is named", async () => {
    const s = await courtWithStaff(t);
    await marchWithAReturn(s);
    const pack = (await download(s)).body;
    const res = await verify(s, { ...pack, report: { ...pack.report, summary: { ...pack.report.summary, zh: "共发放执行案款3000万元，涉及案件1件" } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ matches: false, currentFingerprint: pack.fingerprint, differences: [{ rowId: "report", kind: "changed", fields: ["summary"] }], differencesTotal: 1 });
  });

  test("the verify route takes a pack over the usual 1 MB (here about 2 MB), and refuses one over 32 MB with 413", async () => {
    const s = await courtWithStaff(t);
    await marchWithAReturn(s);
    const pack = (await download(s)).body;
    const big = await verify(s, { ...pack, report: { ...pack.report, padding: "x".repeat(2 * 1024 * 1024) } });
    expect(big.status).toBe(200);
    expect(big.body.differences).toEqual([{ rowId: "report", kind: "changed", fields: ["padding"] }]);
    const huge = await verify(s, { ...pack, report: { ...pack.report, padding: "x".repeat(33 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe("payload_too_large");
  });
});

describe("a forged or truncated pack", () => {
  async function aPack() {
    const s = await courtWithStaff(t);
    await marchWithAReturn(s);
    return { s, pack: (await download(s)).body };
  }
  const pathsOf = (res: request.Response) => res.body.errors.map((e: { path: string }) => e.path);

  test("a fingerprint changed by hand: 422 proof_pack_invalid naming the fingerprint", async () => {
    const { s, pack } = await aPack();
    const res = await verify(s, { ...pack, fingerprint: pack.fingerprint.replace(/^./, (c: string) => (c === "0" ? "1" : "0")) });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("proof_pack_invalid");
    expect(pathsOf(res)).toEqual(["body.fingerprint"]);
  });

  test("a row's amount edited in the pack (its digest left as it was): 422 naming the row", async () => {
    const { s, pack } = await aPack();
    const rows = pack.rows.map((r: Record<string, unknown>, i: number) => (i === 0 ? { ...r, amount: "3000.00" } : r));
    const res = await verify(s, { ...pack, rows });
    expect(res.status).toBe(422);
    expect(pathsOf(res)).toEqual(expect.arrayContaining(["body.rows.0.digest", "body.scope.total", "body.fingerprint"]));
  });

  test("a row left out: 422, the count and the fingerprint no longer agree", async () => {
    const { s, pack } = await aPack();
    const res = await verify(s, { ...pack, rows: pack.rows.slice(1) });
    expect(res.status).toBe(422);
    expect(pathsOf(res)).toEqual(expect.arrayContaining(["body.scope.payouts", "body.fingerprint"]));
  });

  test("a file cut short is not JSON: 400 validation_failed; an unknown member or a missing one: 400", async () => {
    const { s, pack } = await aPack();
    const text = JSON.stringify(pack);
    const cut = await request(t.app).post("/v1/reports/disbursements/proof/verify").set(s.inspector.auth).set("Content-Type", "application/json").send(text.slice(0, Math.floor(text.length / 2)));
    expect(cut.status).toBe(400);
    expect(cut.body.code).toBe("validation_failed");
    const extra = await verify(s, { ...pack, rows: [{ ...pack.rows[0], note: "x" }, pack.rows[1]] });
    expect(extra.status).toBe(400);
    const { fingerprint: _f, ...noFingerprint } = pack;
    const missing = await verify(s, noFingerprint);
    expect(missing.status).toBe(400);
    expect(pathsOf(missing)).toContain("body.fingerprint");
  });

  test("a pack of another court: 404, before anything about the pack is said; a clerk: 403", async () => {
    const { pack } = await aPack();
    const other = await courtWithStaff(t);
    expect((await verify(other, pack)).status).toBe(404);
    expect((await verify(other, pack, other.clerk)).status).toBe(403);
  });
});
