import request from "supertest";
import { purgeExpiredIdempotencyKeys } from "../../api/runner/idempotency";
import { MoneyDecimal } from "../../api/core/money";
import { courtWithStaff, createCase, getCase, newKey, postReceipt, receive } from "../helpers/factories";
import { expectBalancesEqualJournal } from "../helpers/ledger-invariants";
import { startTestApp, type TestApp } from "../helpers/test-app";
import { expectProblem } from "../helpers/problem";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await expectBalancesEqualJournal(t.db.knex);
  await t.close();
});

describe("recording money received", () => {
  test("a receipt answers disburseBy = receivedOn + 30 days and moves the case's balances", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id, { adjudicatedAmount: "80000.00" });
    const res = await postReceipt(t, clerk, c.id, { amount: "30000.5", receivedOn: "2024-03-11", source: "deduction", bankReference: "ABC-1" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: "30000.50", receivedOn: "2024-03-11", disburseBy: "2024-04-10", source: "deduction", reversal: null });
    const after = await getCase(t, clerk, c.id);
    expect(after.balances).toEqual({ received: "30000.50", disbursed: "0.00", held: "30000.50", reserved: "0.00", available: "30000.50", outstanding: "49999.50" });
    expect(after.fullyPerformedOn).toBeNull();
  });

  test("fullyPerformedOn is the receivedOn of the receipt that reaches the adjudicated amount", async () => {
    const { court, finance, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id, { adjudicatedAmount: "1000.00" });
    await receive(t, finance, c.id, "400.00", "2024-03-05");
    await receive(t, finance, c.id, "600.00", "2024-03-20");
    await receive(t, finance, c.id, "50.00", "2024-03-25");
    const after = await getCase(t, clerk, c.id);
    expect(after.fullyPerformedOn).toBe("2024-03-20");
    expect(after.balances.outstanding).toBe("0.00");
    expect(after.balances.received).toBe("1050.00");
  });

  test("many small receipts and one near the maximum add up to the fen", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id, { adjudicatedAmount: "9999999999999.99" });
    let expected = new MoneyDecimal(0);
    for (let i = 0; i < 30; i++) {
      const amount = "0.0" + ((i % 9) + 1);
      await receive(t, clerk, c.id, amount);
      expected = expected.plus(amount);
    }
    await receive(t, clerk, c.id, "9999999999000.00");
    expected = expected.plus("9999999999000.00");
    const after = await getCase(t, clerk, c.id);
    expect(after.balances.received).toBe(expected.toFixed(2));
    expect(after.balances.held).toBe(expected.toFixed(2));
    const ledger = await request(t.app).get(`/v1/cases/${c.id}/ledger`).query({ limit: 500 }).set(clerk.auth);
    expect(ledger.body.data.at(-1).balanceAfter).toBe(expected.toFixed(2));
  });

  test.each([
    ["a JSON number", { amount: 100 }],
    ["a sign", { amount: "+100.00" }],
    ["blanks", { amount: " 100.00" }],
    ["three decimals", { amount: "100.001" }],
    ["grouping", { amount: "1,000.00" }],
    ["zero", { amount: "0" }],
    ["a date that does not exist", { receivedOn: "2024-02-30" }],
    ["a date in the future", { receivedOn: "2999-01-01" }],
    ["a date before the case was filed", { receivedOn: "2023-01-01" }],
    ["an unknown source", { source: "gift" }],
    ["an unknown field", { caseId: "00000000-0000-4000-8000-000000000000" }],
  ])("%s is refused with a problem detail and records nothing", async (_what, override) => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const res = await postReceipt(t, clerk, c.id, { amount: "100.00", receivedOn: "2024-03-01", source: "voluntary", ...override });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect(await t.db.knex("receipts").where({ case_id: c.id })).toHaveLength(0);
    expect(await t.db.knex("journal_entries").where({ case_id: c.id })).toHaveLength(0);
  });

  test("a closed case accepts no money", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    await request(t.app).post(`/v1/cases/${c.id}/close`).set(clerk.auth).send({ closureType: "withdrawn", closedOn: "2024-02-01" }).expect(200);
    const res = await postReceipt(t, clerk, c.id, { amount: "100.00", receivedOn: "2024-03-01", source: "voluntary" });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("invalid_state");
  });

  test("a case holding money cannot be closed", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    await receive(t, clerk, c.id, "10.00");
    const res = await request(t.app).post(`/v1/cases/${c.id}/close`).set(clerk.auth).send({ closureType: "other", closedOn: "2024-06-01" });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("invalid_state");
  });

  test("an inspector or an approver cannot record money (403), and another court's case is 404", async () => {
    const a = await courtWithStaff(t);
    const b = await courtWithStaff(t);
    const c = await createCase(t, a.clerk, a.court.id);
    for (const user of [a.inspector, a.approver]) {
      const res = await postReceipt(t, user, c.id, { amount: "1.00", receivedOn: "2024-03-01", source: "voluntary" });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("forbidden");
    }
    const other = await postReceipt(t, b.clerk, c.id, { amount: "1.00", receivedOn: "2024-03-01", source: "voluntary" });
    expect(other.status).toBe(404);
    expect(await t.db.knex("receipts").where({ case_id: c.id })).toHaveLength(0);
  });
});

describe("idempotency keys", () => {
  test("a receipt without an Idempotency-Key is a 400 idempotency_key_required", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const res = await request(t.app).post(`/v1/cases/${c.id}/receipts`).set(clerk.auth).send({ amount: "1.00", receivedOn: "2024-03-01", source: "voluntary" });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("idempotency_key_required");
  });

  test("a retried receipt with the same key is recorded once and replays the first answer", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const key = newKey();
    const body = { amount: "500.00", receivedOn: "2024-03-01", source: "voluntary" };
    const first = await postReceipt(t, clerk, c.id, body, key);
    const second = await postReceipt(t, clerk, c.id, body, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers["idempotent-replayed"]).toBe("true");
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    expect(second.body).toEqual(first.body);
    expect(await t.db.knex("receipts").where({ case_id: c.id })).toHaveLength(1);
    expect((await getCase(t, clerk, c.id)).balances.held).toBe("500.00");
  });

  test("the same key with a different body is 422 idempotency_key_reused and records nothing more", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const key = newKey();
    await postReceipt(t, clerk, c.id, { amount: "500.00", receivedOn: "2024-03-01", source: "voluntary" }, key).expect(201);
    const res = await postReceipt(t, clerk, c.id, { amount: "5000.00", receivedOn: "2024-03-01", source: "voluntary" }, key);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("idempotency_key_reused");
    expect((await getCase(t, clerk, c.id)).balances.held).toBe("500.00");
  });

  test("keys belong to a user: another clerk's same key is a new request", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const other = await t.user(["clerk"], [court.id]);
    const c = await createCase(t, clerk, court.id);
    const key = newKey();
    const body = { amount: "1.00", receivedOn: "2024-03-01", source: "voluntary" };
    await postReceipt(t, clerk, c.id, body, key).expect(201);
    const res = await postReceipt(t, other, c.id, body, key);
    expect(res.status).toBe(201);
    expect(res.headers["idempotent-replayed"]).toBeUndefined();
    expect(await t.db.knex("receipts").where({ case_id: c.id })).toHaveLength(2);
  });

  test("a refused request is not stored under its key, so a corrected retry with that key succeeds", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const key = newKey();
    await postReceipt(t, clerk, c.id, { amount: "1.00", receivedOn: "2999-01-01", source: "voluntary" }, key).expect(400);
    const retry = await postReceipt(t, clerk, c.id, { amount: "1.00", receivedOn: "2024-03-01", source: "voluntary" }, key);
    expect(retry.status).toBe(201);
  });
});

describe("reversing a mistaken receipt", () => {
  test("finance reverses a receipt with a new entry; the receipt itself is untouched", async () => {
    const { court, clerk, finance } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id, { adjudicatedAmount: "100.00" });
    const r = await receive(t, clerk, c.id, "100.00", "2024-03-02");
    expect((await getCase(t, clerk, c.id)).fullyPerformedOn).toBe("2024-03-02");
    const res = await request(t.app).post(`/v1/receipts/${r.id}/reverse`).set(finance.auth).set("Idempotency-Key", newKey()).send({ reason: "entered twice" });
    expect(res.status).toBe(200);
    expect(res.body.reversal).toMatchObject({ reason: "entered twice", createdBy: finance.id });
    expect(res.body.amount).toBe("100.00");
    const after = await getCase(t, clerk, c.id);
    expect(after.balances).toMatchObject({ received: "0.00", held: "0.00" });
    expect(after.fullyPerformedOn).toBeNull();
    const ledger = await request(t.app).get(`/v1/cases/${c.id}/ledger`).set(clerk.auth);
    expect(ledger.body.data.map((e: { kind: string; direction: string; balanceAfter: string }) => [e.kind, e.direction, e.balanceAfter])).toEqual([
      ["receipt", "in", "100.00"],
      ["receipt_reversal", "out", "0.00"],
    ]);
    const stored = await t.db.knex("receipts").where({ id: r.id }).first();
    expect(stored.amount).toBe("100.00");
  });

  test("a receipt cannot be reversed twice, and a clerk cannot reverse at all", async () => {
    const { court, clerk, finance } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const r = await receive(t, clerk, c.id, "10.00");
    const byClerk = await request(t.app).post(`/v1/receipts/${r.id}/reverse`).set(clerk.auth).set("Idempotency-Key", newKey()).send({ reason: "x" });
    expect(byClerk.status).toBe(403);
    await request(t.app).post(`/v1/receipts/${r.id}/reverse`).set(finance.auth).set("Idempotency-Key", newKey()).send({ reason: "x" }).expect(200);
    const twice = await request(t.app).post(`/v1/receipts/${r.id}/reverse`).set(finance.auth).set("Idempotency-Key", newKey()).send({ reason: "x" });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe("invalid_state");
    expect(await t.db.knex("journal_entries").where({ case_id: c.id, kind: "receipt_reversal" })).toHaveLength(1);
  });

  test("reserved money cannot be reversed: 409 insufficient_funds naming the case", async () => {
    const { court, clerk, finance } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const r = await receive(t, clerk, c.id, "100.00");
    // A payout batch would reserve money; here the reservation is made directly.
    await t.db.knex("case_balances").where({ case_id: c.id }).update({ reserved: "60.00" });
    const res = await request(t.app).post(`/v1/receipts/${r.id}/reverse`).set(finance.auth).set("Idempotency-Key", newKey()).send({ reason: "x" });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("insufficient_funds");
    expect(res.body.cases).toEqual([{ caseId: c.id, available: "40.00", requested: "100.00" }]);
    expect((await getCase(t, clerk, c.id)).balances.held).toBe("100.00");
    await t.db.knex("case_balances").where({ case_id: c.id }).update({ reserved: "0.00" });
  });
});

describe("the ledger and the books", () => {
  test("the database itself refuses to update or delete journal rows and receipts", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const r = await receive(t, clerk, c.id, "10.00");
    await expect(t.db.knex("journal_entries").where({ case_id: c.id }).update({ amount: "1.00" })).rejects.toThrow(/append-only/);
    await expect(t.db.knex("journal_lines").where({ case_id: c.id }).del()).rejects.toThrow(/append-only/);
    await expect(t.db.knex("receipts").where({ id: r.id }).update({ amount: "1.00" })).rejects.toThrow(/append-only/);
  });

  test("an unbalanced journal entry is refused by the database", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    await expect(
      t.db.knex.transaction(async (tx) => {
        const [e] = await tx("journal_entries")
          .insert({ id: "11111111-1111-4111-8111-111111111111", court_id: court.id, case_id: c.id, kind: "receipt", amount: "5.00", effective_on: "2024-03-01", created_by: clerk.id })
          .returning("seq");
        await tx("journal_lines").insert([
          { entry_seq: e.seq, line_no: 1, court_id: court.id, account: "court_bank", amount: "5.00" },
          { entry_seq: e.seq, line_no: 2, court_id: court.id, case_id: c.id, account: "case_held", amount: "-4.00" },
        ]);
      }),
    ).rejects.toThrow(/does not balance/);
  });

  test("reconciliation: the court's bank balance equals the sum of its case balances", async () => {
    const { court, clerk, finance } = await courtWithStaff(t);
    const c1 = await createCase(t, clerk, court.id);
    const c2 = await createCase(t, clerk, court.id);
    await receive(t, clerk, c1.id, "1234.56");
    const r = await receive(t, clerk, c2.id, "0.01");
    await receive(t, clerk, c2.id, "99.99");
    await request(t.app).post(`/v1/receipts/${r.id}/reverse`).set(finance.auth).set("Idempotency-Key", newKey()).send({ reason: "x" }).expect(200);
    const res = await request(t.app).get("/v1/reconciliation").query({ courtId: court.id }).set(finance.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ courtId: court.id, bankBalance: "1334.55", caseBalancesTotal: "1334.55", difference: "0.00", cases: 2 });
    const other = await t.court();
    expect((await request(t.app).get("/v1/reconciliation").query({ courtId: other.id }).set(finance.auth)).status).toBe(404);
  });
});

describe("replay records expire", () => {
  test("a key past its 48 hours is swept, and the same key then records a new receipt", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id);
    const key = newKey();
    const body = { amount: "3.00", receivedOn: "2024-03-01", source: "voluntary" };
    await postReceipt(t, clerk, c.id, body, key).expect(201);
    const stored = await t.db.knex("idempotency_keys").where({ user_id: clerk.id, key }).first();
    expect(new Date(stored.expires_at).getTime() - new Date(stored.created_at).getTime()).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    await t.db.knex("idempotency_keys").where({ user_id: clerk.id, key }).update({ expires_at: t.db.knex.raw("now() - interval '1 minute'") });
    expect(await purgeExpiredIdempotencyKeys(t.db.knex)).toBeGreaterThanOrEqual(1);
    expect(await t.db.knex("idempotency_keys").where({ user_id: clerk.id, key })).toHaveLength(0);
    const again = await postReceipt(t, clerk, c.id, body, key);
    expect(again.status).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBeUndefined();
    expect(await t.db.knex("receipts").where({ case_id: c.id })).toHaveLength(2);
  });
});

/** The statements of one message: on PostgreSQL BEGIN goes with the scope and the claim, and the last statements with COMMIT. */
const statementsOf = (message: string): string[] => message.split(/;\n/);

describe("a receipt in few round trips (issue 16)", () => {
  // The token was looked up for the first receipt and is cached: the second runs no token lookup.
  // Its transaction's first statement sets the court scope and re-checks the token in one go
  // (docs/adr/0006-token-cache.md), so a revocation still takes effect at once.
  test("one receipt through HTTP with a cached token costs nine SQL statements: BEGIN, the court scope with the token's re-check, claim, case and lock, the court's deadlines, the posting, replay record, audit, COMMIT — on PostgreSQL in four round trips", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id, { adjudicatedAmount: "1000.00" });
    await receive(t, clerk, c.id, "1.00"); // the token's last use is written once a minute: not in the count below
    const messages: string[] = [];
    const listener = (q: { sql?: string }) => messages.push((q.sql ?? "").trim());
    t.db.knex.on("query", listener);
    try {
      await receive(t, clerk, c.id, "2.00");
    } finally {
      t.db.knex.removeListener("query", listener);
    }
    const statements = messages.flatMap(statementsOf).map((s) => s.slice(0, 40));
    expect(statements).toHaveLength(9);
    expect(statements[0]).toMatch(/^BEGIN/i);
    expect(statements[1]).toMatch(/^SELECT set_config\('role'/);
    expect(statements[2]).toMatch(/^INSERT INTO idempotency_keys/);
    expect(statements[3]).toMatch(/^SELECT c\.id, c\.court_id/);
    expect(statements[4]).toMatch(/^SELECT \* FROM court_settings/);
    expect(statements[5]).toMatch(/^WITH open_case AS/);
    expect(statements[6]).toMatch(/^UPDATE idempotency_keys SET status_code/);
    expect(statements[7]).toMatch(/^select audit_append\(/i);
    expect(statements[8]).toMatch(/^COMMIT/i);
    // PostgreSQL: the scope and the claim go with BEGIN, the court's settings with the case, the
    // replay record and the trail with COMMIT.
    expect(messages).toHaveLength(t.db.kind === "postgres" ? 4 : 9);
  });

  test("a payer's name with quotes, question marks and $1 is stored exactly as sent; with a NUL it is a 400 and nothing is written", async () => {
    const { court, clerk } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id, { adjudicatedAmount: "1000.00" });
    const post = (payerName: string) =>
      request(t.app).post(`/v1/cases/${c.id}/receipts`).set(clerk.auth).set("Idempotency-Key", newKey()).send({ amount: "1.00", receivedOn: "2024-03-01", source: "voluntary", payerName });
    const tricky = "O'Brien ? $1 \\ 张三'); DROP TABLE receipts; --";
    const ok = await post(tricky);
    expect(ok.status).toBe(201);
    expect(ok.body.payerName).toBe(tricky);
    expect((await t.db.knex("receipts").where({ id: ok.body.id }).first()).payer_name).toBe(tricky);
    expectProblem(await post("李\u0000四"), 400, "validation_failed");
    expect(await t.db.knex("receipts").where({ case_id: c.id }).count<{ count: string }[]>("* as count")).toEqual([{ count: "1" }]);
  });

  test("the posting keeps the first receipt date when an earlier receipt arrives late, without recomputing performance", async () => {
    const { court, clerk, finance } = await courtWithStaff(t);
    const c = await createCase(t, clerk, court.id, { adjudicatedAmount: "1000.00" });
    await receive(t, clerk, c.id, "10.00", "2024-03-05");
    await receive(t, clerk, c.id, "10.00", "2024-02-20");
    await receive(t, clerk, c.id, "10.00", "2024-03-09");
    const row = await t.db.knex("case_balances").where({ case_id: c.id }).first();
    expect(row.first_received_on).toBe("2024-02-20");
    expect(row.fully_performed_on).toBeNull();
    // The shortcut agrees with the full rule: reversing and recomputing gives the same dates.
    const r = await receive(t, clerk, c.id, "970.00", "2024-03-10");
    expect((await getCase(t, clerk, c.id)).fullyPerformedOn).toBe("2024-03-10");
    await request(t.app).post(`/v1/receipts/${r.id}/reverse`).set(finance.auth).set("Idempotency-Key", newKey()).send({ reason: "wrong case" }).expect(200);
    const after = await t.db.knex("case_balances").where({ case_id: c.id }).first();
    expect(after).toMatchObject({ first_received_on: "2024-02-20", fully_performed_on: null });
  });
});
