import request from "supertest";
import { courtWithStaff } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { toCsv } from "../../api/payouts/payment-file";
import { approved, execute, fundedCase, item } from "./payout-helpers";
import { expectProblem } from "../helpers/problem";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Reads the raw bytes, so that the byte order mark is seen as it is sent. */
function getFile(batchId: string, auth: Record<string, string>) {
  return request(t.app)
    .get(`/v1/payout-batches/${batchId}/payment-file`)
    .set(auth)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => done(null, Buffer.concat(chunks)));
    });
}

describe("the payment file", () => {
  test("finance gets a CSV in UTF-8 with BOM: header, one row per item with the full account number, 2-decimal amounts", async () => {
    const s = await courtWithStaff(t);
    const a = await fundedCase(t, s, "1000.00", "2024-03-01", { caseNumber: "(2024)湘1129执77号" });
    const b = await fundedCase(t, s, "1000.00");
    const batch = await approved(t, s, [item(a, "600.5"), item(b, "0.01"), item(a, "100")]);
    const res = await getFile(batch.id, s.finance.auth);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="payout-batch-${batch.id}.csv"`);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]).toBe("itemId,payeeName,bankName,accountName,accountNumber,amount,currency,caseNumber,reference,nameMismatch");
    const rows = lines.slice(1, -1).map((l) => l.split(","));
    expect(rows).toHaveLength(3);
    const prefix = batch.id.slice(0, 8);
    expect(rows[0]).toEqual([batch.items[0].id, expect.stringMatching(/^申请人/), "中国农业银行江华支行", expect.stringMatching(/^申请人/), "6228480123456789012", "600.50", "CNY", "(2024)湘1129执77号", `CEF-${prefix}-1`, "no"]);
    expect(rows.map((r) => [r[5], r[8]])).toEqual([
      ["600.50", `CEF-${prefix}-1`],
      ["0.01", `CEF-${prefix}-2`],
      ["100.00", `CEF-${prefix}-3`],
    ]);
    expect(rows[1][7]).toBe(b.caseNumber);
  });

  test("each download is an audit event with a fingerprint of the file, never the account number", async () => {
    const s = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await approved(t, s, [item(c, "10.00")]);
    await getFile(batch.id, s.finance.auth).expect(200);
    await getFile(batch.id, s.finance.auth).expect(200);
    const events = await t.db.knex("audit_events").where({ entity_id: batch.id, action: "payout_batch.payment_file_downloaded" });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ actor_id: s.finance.id, court_id: s.court.id });
    expect(events[0].data).toMatchObject({ items: 1, amount: "10.00", fileSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(events)).not.toContain("6228480123456789012");
  });

  test("only an approved batch has a file: not a draft, nor one already executed; and only finance of its court gets it", async () => {
    const s = await courtWithStaff(t);
    const other = await courtWithStaff(t);
    const c = await fundedCase(t, s, "100.00");
    const batch = await approved(t, s, [item(c, "10.00")]);
    const refused = (auth: Record<string, string>) => request(t.app).get(`/v1/payout-batches/${batch.id}/payment-file`).set(auth);
    expectProblem(await refused(s.approver.auth), 403, "forbidden");
    expectProblem(await refused(other.finance.auth), 404, "not_found");
    await execute(t, s.finance, batch.id, { paidOn: "2024-04-01" }).expect(200);
    expectProblem(await refused(s.finance.auth), 409, "invalid_state");
  });

  test("a name with a comma, a quote or a leading formula sign is quoted and defused", () => {
    const csv = toCsv([["a", "b,c", 'say "hi"', "=SUM(A1)", "-1", "张三\r\n李四"]]);
    expect(csv).toBe('\uFEFFa,"b,c","say ""hi""",\'=SUM(A1),\'-1,"张三\r\n李四"\r\n');
  });
});
