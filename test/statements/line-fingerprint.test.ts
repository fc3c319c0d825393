import { fingerprintLines, lineFingerprint } from "../../api/statements/line-fingerprint";
import { statementCsv } from "../../api/statements/statement-generator";
import { CCB_ACCOUNT_DETAIL, ICBC_DETAIL } from "../../api/statements/statement-layouts";
import { parseStatement, type StatementLine } from "../../api/statements/statement-parser";
import { TODAY, money, sampleLines, sampleSpec } from "./statement-fixtures";

const ACCOUNT = "43050101040012345";
const base: StatementLine = { lineNo: 8, valueDate: "2024-03-11", direction: "credit", amount: money("500.00"), counterpartyName: "李四", counterpartyAccount: "6217000123456789" };

describe("a statement line is known again", () => {
  test("by its bank reference, whatever line of the file it is on and however the remark reads", () => {
    const a = { ...base, bankReference: "R1", remark: "还款" };
    expect(lineFingerprint({ ...a, lineNo: 99, remark: "还款 / 转账", balanceAfter: money("1.00") }, ACCOUNT)).toBe(lineFingerprint(a, ACCOUNT));
  });

  test("a transfer and its fee under one reference stay two lines (direction and amount are part of it)", () => {
    const transfer = { ...base, direction: "debit" as const, amount: money("10000.00"), bankReference: "R9" };
    const fee = { ...transfer, amount: money("5.50") };
    expect(lineFingerprint(transfer, ACCOUNT)).not.toBe(lineFingerprint(fee, ACCOUNT));
  });

  test("the same reference on another account is another line", () => {
    const a = { ...base, bankReference: "R1" };
    expect(lineFingerprint(a, ACCOUNT)).not.toBe(lineFingerprint(a, "43050101040099999"));
  });

  test("without a reference: two identical payments on one day differ by the running balance after each", () => {
    const first = { ...base, balanceAfter: money("10500.00") };
    const second = { ...base, balanceAfter: money("11000.00") };
    expect(lineFingerprint(first, ACCOUNT)).not.toBe(lineFingerprint(second, ACCOUNT));
    expect(lineFingerprint({ ...first, lineNo: 3 }, ACCOUNT)).toBe(lineFingerprint(first, ACCOUNT));
  });

  test("without a reference, blanks and full-width parentheses in the name do not make another line", () => {
    const a = { ...base, counterpartyName: "某某（个人独资）", balanceAfter: money("1.00") };
    expect(lineFingerprint({ ...a, counterpartyName: " 某某(个人独资) " }, ACCOUNT)).toBe(lineFingerprint(a, ACCOUNT));
    expect(lineFingerprint({ ...a, amount: money("500.01") }, ACCOUNT)).not.toBe(lineFingerprint(a, ACCOUNT));
    expect(lineFingerprint({ ...a, valueDate: "2024-03-12" }, ACCOUNT)).not.toBe(lineFingerprint(a, ACCOUNT));
    expect(lineFingerprint({ ...a, direction: "debit" }, ACCOUNT)).not.toBe(lineFingerprint(a, ACCOUNT));
  });

  test("without a reference and a balance, identical payments are counted in file order", () => {
    const prints = fingerprintLines([base, { ...base }, { ...base, amount: money("1.00") }], ACCOUNT);
    expect(new Set(prints).size).toBe(3);
    expect(fingerprintLines([base, { ...base }], ACCOUNT)).toEqual(prints.slice(0, 2));
  });

  test("the same file imported twice, and two overlapping statements, give the same fingerprints for the same lines", async () => {
    for (const layout of [CCB_ACCOUNT_DETAIL, ICBC_DETAIL]) {
      const all = sampleLines();
      const week = await parseStatement(statementCsv(sampleSpec(layout, all)), "csv", layout, { today: TODAY });
      const again = await parseStatement(statementCsv(sampleSpec(layout, all), "gb18030"), "csv", layout, { today: TODAY });
      // the second statement starts on 2024-03-12, from the balance the first line left
      const overlap = await parseStatement(statementCsv({ ...sampleSpec(layout, all.slice(1)), openingBalance: money("13345.67") }), "csv", layout, { today: TODAY });
      const prints = new Set(fingerprintLines(week.lines, ACCOUNT));
      expect(fingerprintLines(again.lines, ACCOUNT).every((p) => prints.has(p))).toBe(true);
      expect(fingerprintLines(overlap.lines, ACCOUNT).every((p) => prints.has(p))).toBe(true);
      expect(prints.size).toBe(4); // the two 500.00 payments of 2024-03-12 are two lines
    }
  });
});
