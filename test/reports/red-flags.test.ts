import request from "supertest";
import { addDays, todayInChina } from "../../api/core/dates";
import { redFlagReport } from "../../api/reports/red-flags";
import { courtWithStaff, newKey, receive, type Staff } from "../helpers/factories";
import { expectProblem } from "../helpers/problem";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { fetchWorkbook } from "../helpers/xlsx";
import { act, draft, execute, executed, fundedCase, item, type FundedCase } from "../payouts/payout-helpers";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const today = todayInChina();
const FROM = "2024-03-01";

interface Flag {
  kind: string;
  courtId: string;
  on: string;
  amount: string | null;
  explanation: { zh: string; en: string };
  records: { type: string; id: string }[];
}

async function flags(s: Staff, kind: string, from = FROM, to = today): Promise<Flag[]> {
  const res = await request(t.app).get("/v1/reports/red-flags").query({ courtId: s.court.id, from, to }).set(s.inspector.auth);
  expect(res.status).toBe(200);
  expect(res.body.courtIds).toEqual([s.court.id]);
  expect(res.body.counts[kind]).toBe(res.body.flags.filter((f: Flag) => f.kind === kind).length);
  expect(res.body.truncated[kind]).toBe(false);
  return (res.body.flags as Flag[]).filter((f) => f.kind === kind);
}

const names = (f: Flag, type: string) => f.records.filter((r) => r.type === type).map((r) => r.id);
const flagged = (fs: Flag[], type: string, id: string) => fs.some((f) => names(f, type).includes(id));

/** A batch paid to the case's applicant on `paidOn`; answers the paid item's id. */
async function paid(s: Staff, c: FundedCase, amount: string, paidOn: string, extra: Record<string, unknown> = {}): Promise<{ batchId: string; itemId: string }> {
  const b = await executed(t, s, [{ ...item(c, amount), ...extra }], paidOn);
  return { batchId: b.id, itemId: b.items[0].id };
}

describe("payouts within 30 days after a change of the payee's bank account", () => {
  test("a payout after an approved change is flagged; one before the change, and one 40 days after, are not", async () => {
    const s = await courtWithStaff(t, "RF");
    const c = await fundedCase(t, s, "30000.00", addDays(today, -5));
    const before = await paid(s, c, "1000.00", addDays(today, -4));

    const asked = await request(t.app)
      .post(`/v1/parties/${c.applicantId}/bank-account-changes`)
      .set(s.clerk.auth)
      .send({ bankAccount: { bankName: "中国建设银行江华支行", accountName: c.parties[0].name, accountNumber: "6217000011112222333" } });
    expect(asked.status).toBe(201);
    expect((await request(t.app).post(`/v1/bank-account-changes/${asked.body.id}/approve`).set(s.approver.auth)).status).toBe(200);
    const after = await paid(s, c, "2000.00", today);

    const other = await fundedCase(t, s, "5000.00", addDays(today, -5));
    const old = await request(t.app)
      .post(`/v1/parties/${other.applicantId}/bank-account-changes`)
      .set(s.clerk.auth)
      .send({ bankAccount: { bankName: "中国银行江华支行", accountName: other.parties[0].name, accountNumber: "6216000011112222333" } });
    await request(t.app).post(`/v1/bank-account-changes/${old.body.id}/approve`).set(s.approver.auth).expect(200);
    await t.db.knex("bank_account_changes").where({ id: old.body.id }).update({ approved_at: t.db.knex.raw("now() - interval '40 days'") });
    const late = await paid(s, other, "1000.00", today);

    const fs = await flags(s, "payout_after_account_change");
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ courtId: s.court.id, on: today, amount: "2000.00" });
    expect(names(fs[0], "payout_item")).toEqual([after.itemId]);
    expect(names(fs[0], "batch")).toEqual([after.batchId]);
    expect(names(fs[0], "party")).toEqual([c.applicantId]);
    expect(names(fs[0], "user")).toEqual([s.clerk.id, s.approver.id]);
    expect(fs[0].explanation.zh).toContain("银行账户变更");
    expect(fs[0].explanation.en).toContain("0 days after the payee's bank account was changed");
    expect(flagged(fs, "payout_item", before.itemId)).toBe(false);
    expect(flagged(fs, "payout_item", late.itemId)).toBe(false);
  });
});

describe("payees whose account name is not theirs", () => {
  test("an applicant paid into a firm's account is flagged; a name written with a full-width blank is the same name", async () => {
    const s = await courtWithStaff(t, "RN");
    const bad = await fundedCase(t, s, "9000.00", FROM, {
      applicants: [{ name: "刘某某", kind: "person", bankAccount: { bankName: "中国工商银行", accountName: "湖南某律师事务所", accountNumber: "1901000011112222333" } }],
    });
    const same = await fundedCase(t, s, "9000.00", FROM, {
      applicants: [{ name: "张三丰", kind: "person", bankAccount: { bankName: "中国农业银行", accountName: "张　三丰", accountNumber: "6228480123456789099" } }],
    });
    const badPaid = await paid(s, bad, "9000.00", "2024-03-20");
    const samePaid = await paid(s, same, "9000.00", "2024-03-20");

    const fs = await flags(s, "account_name_mismatch");
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ on: "2024-03-20", amount: "9000.00" });
    expect(names(fs[0], "payout_item")).toEqual([badPaid.itemId]);
    expect(fs[0].explanation.zh).toContain("湖南某律师事务所");
    expect(flagged(fs, "payout_item", samePaid.itemId)).toBe(false);
    // Outside the period: no flag.
    expect(await flags(s, "account_name_mismatch", "2024-03-21", today)).toEqual([]);
  });
});

describe("payouts to anyone but an applicant or an approved agent", () => {
  test("a payout whose payee turns out not to be an applicant is flagged; a refund to a debtor and a payout to an approved agent are lawful", async () => {
    const s = await courtWithStaff(t, "RU");
    const c = await fundedCase(t, s, "20000.00", FROM);
    const wrong = await paid(s, c, "1000.00", "2024-03-10");

    const r = await fundedCase(t, s, "5000.00", FROM, {
      adjudicatedAmount: "1000.00",
      debtors: [{ name: "被执行人退款", kind: "person", bankAccount: { bankName: "中国银行", accountName: "被执行人退款", accountNumber: "6216000099998888777" } }],
    });
    const refund = await paid(s, { ...r, applicantId: r.debtorId }, "4000.00", "2024-03-10", { kind: "refund", refundReason: "surplus" });

    const a = await fundedCase(t, s, "3000.00", FROM);
    const agent = await request(t.app)
      .post(`/v1/parties/${a.applicantId}/agents`)
      .set(s.clerk.auth)
      .send({
        name: "王律师",
        lawFirm: "湖南某律师事务所",
        specialAuthority: true,
        authorityDocument: { number: "授字第2024-018号", signedOn: "2024-03-01" },
        bankAccount: { bankName: "中国工商银行", accountName: "王律师", accountNumber: "1901000011110000333" },
      });
    expect(agent.status).toBe(201);
    await request(t.app).post(`/v1/agents/${agent.body.id}/approve`).set(s.approver.auth).expect(200);
    const toAgent = await paid(s, a, "3000.00", "2024-03-10", { agentId: agent.body.id });

    // The record of who the payee is was changed behind the application's back.
    await t.db.knex("parties").where({ id: c.applicantId }).update({ role: "debtor" });

    const fs = await flags(s, "unentitled_payout");
    expect(fs.map((f) => names(f, "payout_item")[0])).toEqual([wrong.itemId]);
    expect(fs[0].explanation.en).toContain("not an applicant");
    expect(flagged(fs, "payout_item", refund.itemId)).toBe(false);
    expect(flagged(fs, "payout_item", toAgent.itemId)).toBe(false);
  });
});

describe("money held past its deadline without an approved deferral", () => {
  test("overdue held money is flagged by receipt; money covered by an approved deferral, and money paid out, are not", async () => {
    const s = await courtWithStaff(t, "RO");
    const overdue = await fundedCase(t, s, "7000.00", FROM);
    const overdueReceipt = (await t.db.knex("receipts").where({ case_id: overdue.id }).first()).id as string;
    const deferred = await fundedCase(t, s, "7000.00", FROM);
    const d = await request(t.app).post(`/v1/cases/${deferred.id}/deferrals`).set(s.clerk.auth).send({ reason: "amount_disputed", until: addDays(today, 5) });
    await request(t.app).post(`/v1/deferrals/${d.body.id}/approve`).set(s.approver.auth).expect(200);
    const paidOut = await fundedCase(t, s, "7000.00", FROM);
    await paid(s, paidOut, "7000.00", "2024-03-15");

    const fs = await flags(s, "overdue_held");
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ on: "2024-03-31", amount: "7000.00" });
    expect(fs[0].records).toEqual([{ type: "receipt", id: overdueReceipt }, { type: "case", id: overdue.id }]);
    expect(fs[0].explanation.zh).toContain("无经批准的延期发放");
    // On 2024-03-31, its last day, the money was not yet overdue.
    expect(await flags(s, "overdue_held", FROM, "2024-03-31")).toEqual([]);
  });
});

describe("receipts reversed by the person who recorded them", () => {
  test("finance reversing its own receipt is flagged; reversing a clerk's receipt is not", async () => {
    const s = await courtWithStaff(t, "RR");
    const c = await fundedCase(t, s, "0");
    const own = await receive(t, s.finance, c.id, "500.00", addDays(today, -2));
    const clerks = await receive(t, s.clerk, c.id, "600.00", addDays(today, -2));
    for (const r of [own, clerks]) {
      const res = await request(t.app).post(`/v1/receipts/${r.id}/reverse`).set(s.finance.auth).set("Idempotency-Key", newKey()).send({ reason: "录入错误" });
      expect(res.status).toBe(200);
    }
    const fs = await flags(s, "receipt_reversed_by_recorder");
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ on: today, amount: "500.00" });
    expect(fs[0].records).toEqual([{ type: "receipt", id: own.id }, { type: "case", id: c.id }, { type: "user", id: s.finance.id }]);
  });
});

describe("batches approved within minutes of their submission", () => {
  test("a batch approved at once is flagged; one approved two hours after submission is not", async () => {
    const s = await courtWithStaff(t, "RB");
    const c = await fundedCase(t, s, "9000.00", FROM);
    const quick = await draft(t, s, [item(c, "1000.00")]);
    await act(t, s.clerk, quick.id, "submit").expect(200);
    await act(t, s.approver, quick.id, "approve").expect(200);

    const slow = await draft(t, s, [item(c, "1000.00")]);
    await act(t, s.clerk, slow.id, "submit").expect(200);
    await t.db.knex("payout_batches").where({ id: slow.id }).update({ submitted_at: t.db.knex.raw("now() - interval '2 hours'") });
    await act(t, s.approver, slow.id, "approve").expect(200);
    await execute(t, s.finance, slow.id, { paidOn: today }).expect(200);

    const fs = await flags(s, "batch_approved_quickly");
    expect(fs.map((f) => names(f, "batch")[0])).toEqual([quick.id]);
    expect(fs[0]).toMatchObject({ on: today, amount: "1000.00" });
    expect(names(fs[0], "user")).toEqual([s.clerk.id, s.approver.id]);
    expect(fs[0].explanation.en).toMatch(/approved [0-9.]+ minutes after its submission \(under 10 minutes\)/);
  });
});

describe("the report itself", () => {
  test("a kind with more flags than the limit says so: its list stops at the limit and is marked truncated; at the limit exactly it is not", async () => {
    const s = await courtWithStaff(t, "RT");
    await fundedCase(t, s, "100.00", FROM);
    await fundedCase(t, s, "200.00", FROM);
    const p = { courtIds: [s.court.id], from: FROM, to: today, today };
    const cut = await redFlagReport(t.db.knex, p, 1);
    expect(cut.counts.overdue_held).toBe(1);
    expect(cut.truncated).toMatchObject({ overdue_held: true, batch_approved_quickly: false });
    expect(cut.rules.limitPerKind).toBe(1);
    const whole = await redFlagReport(t.db.knex, p, 2);
    expect(whole.counts.overdue_held).toBe(2);
    expect(whole.truncated.overdue_held).toBe(false);
  });

  test("CSV and XLSX carry the same flags; another court's flags are not shown to an inspector of this one", async () => {
    const s = await courtWithStaff(t, "RX");
    const other = await courtWithStaff(t, "RY");
    await fundedCase(t, s, "100.00", FROM);
    await fundedCase(t, other, "100.00", FROM);

    const csv = await request(t.app).get("/v1/reports/red-flags").query({ courtId: s.court.id, from: FROM, to: today, format: "csv" }).set(s.inspector.auth).buffer(true);
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("kind,court_id,on,amount,explanation_zh,explanation_en,records");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^overdue_held,/);

    const xlsx = await fetchWorkbook(request(t.app).get("/v1/reports/red-flags").query({ courtId: s.court.id, from: FROM, to: today, format: "xlsx" }).set(s.inspector.auth));
    expect(xlsx.status).toBe(200);
    const sheet = xlsx.workbook.worksheets[1];
    expect(sheet.getRow(2).getCell(1).value).toBe("overdue_held");
    expect(sheet.getRow(3).getCell(1).value ?? null).toBeNull();

    const foreign = await request(t.app).get("/v1/reports/red-flags").query({ courtId: other.court.id, from: FROM, to: today }).set(s.inspector.auth);
    expectProblem(foreign, 404, "not_found");
    const all = await request(t.app).get("/v1/reports/red-flags").query({ from: FROM, to: today }).set(s.inspector.auth);
    expect(all.body.courtIds).toEqual([s.court.id]);
    expect(all.body.flags.every((f: Flag) => f.courtId === s.court.id)).toBe(true);
  });

  test("a clerk may not read red flags (403); a period ending before it starts is a 400", async () => {
    const s = await courtWithStaff(t, "RZ");
    expectProblem(await request(t.app).get("/v1/reports/red-flags").query({ from: FROM, to: today }).set(s.clerk.auth), 403, "forbidden");
    expectProblem(await request(t.app).get("/v1/reports/red-flags").query({ from: today, to: FROM }).set(s.approver.auth), 400, "validation_failed");
    expectProblem(await request(t.app).get("/v1/reports/red-flags").query({ from: FROM, to: today, extra: "1" }).set(s.approver.auth), 400, "validation_failed");
  });
});
