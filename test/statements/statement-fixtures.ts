import { MoneyDecimal } from "../../api/core/money";
import type { GeneratedLine, StatementFileSpec } from "../../api/statements/statement-generator";
import type { StatementField, StatementLayout } from "../../api/statements/statement-layouts";
import { StatementError } from "../../api/statements/statement-errors";
import type { StatementLine } from "../../api/statements/statement-parser";

export const money = (s: string) => new MoneyDecimal(s);

export const COURT_ACCOUNT = { number: "43050101040012345", name: "江华瑶族自治县人民法院" };
export const TODAY = "2024-03-31";

/** A week of a court's master account: payments in, one payout out, two identical payments on one day. */
export function sampleLines(): GeneratedLine[] {
  return [
    {
      valueDate: "2024-03-11",
      time: "09:15:02",
      direction: "credit",
      amount: money("12345.67"),
      counterpartyName: "湖南某某建材有限公司",
      counterpartyAccount: "6228480123456789012",
      counterpartyBank: "中国农业银行江华支行",
      summary: "跨行汇款",
      remark: "（2024）湘1129执123号 执行款",
      bankReference: "JH20240311000001",
    },
    {
      valueDate: "2024-03-12",
      time: "10:00:00",
      direction: "credit",
      amount: money("500.00"),
      counterpartyName: "李四",
      counterpartyAccount: "6217000123456789",
      summary: "转账",
      remark: "还款",
      bankReference: "JH20240312000002",
      virtualAccount: "4305010100000012345",
    },
    {
      valueDate: "2024-03-12",
      time: "10:05:00",
      direction: "credit",
      amount: money("500.00"),
      counterpartyName: "李四",
      counterpartyAccount: "6217000123456789",
      summary: "转账",
      remark: "还款",
      bankReference: "JH20240312000003",
    },
    {
      valueDate: "2024-03-15",
      time: "16:30:45",
      direction: "debit",
      amount: money("10000.00"),
      counterpartyName: "张三（申请执行人）",
      counterpartyAccount: "6222021234567890123",
      summary: "代发",
      remark: "B-2024-001-1 执行款发放",
      bankReference: "JH20240315000004",
      bookedOn: "2024-03-15",
    },
  ];
}

export function sampleSpec(layout: StatementLayout, lines = sampleLines()): StatementFileSpec {
  return { layout, account: COURT_ACCOUNT, lines, openingBalance: money("1000.00") };
}

const has = (layout: StatementLayout, field: StatementField) => layout.columns.some((c) => c.field === field);

/** What the parser must read back of a generated line, in a layout that has these columns. */
export function expectedLine(layout: StatementLayout, g: GeneratedLine) {
  const remarkColumns = layout.columns.filter((c) => c.field === "remark").length;
  const remark = [...new Set([g.summary, g.remark].filter(Boolean) as string[])].join(" / ");
  const e: Record<string, string> = { valueDate: g.valueDate, direction: g.direction, amount: g.amount.toFixed(2) };
  if (has(layout, "bookedOn")) e.bookedOn = g.bookedOn ?? g.valueDate;
  if (g.balanceAfter && has(layout, "balance")) e.balanceAfter = g.balanceAfter.toFixed(2);
  const copy = ["counterpartyName", "counterpartyAccount", "counterpartyBank", "bankReference", "virtualAccount"] as const;
  for (const f of copy) if (g[f] !== undefined && has(layout, f)) e[f] = g[f]!;
  if (remarkColumns > 0 && remark) e.remark = remark;
  return e;
}

/** A parsed line with money as fixed strings, comparable with `expectedLine`. */
export function plainLine(line: StatementLine) {
  const { lineNo: _lineNo, amount, balanceAfter, ...rest } = line;
  return { ...rest, amount: amount.toFixed(2), ...(balanceAfter ? { balanceAfter: balanceAfter.toFixed(2) } : {}) };
}

export async function refusal(promise: Promise<unknown>): Promise<StatementError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof StatementError) return err;
    throw err;
  }
  throw new Error("expected the statement to be refused");
}
