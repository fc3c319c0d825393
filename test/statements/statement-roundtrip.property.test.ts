import fc from "fast-check";
import { MoneyDecimal } from "../../api/core/money";
import { generateStatement, type GeneratedLine } from "../../api/statements/statement-generator";
import { STATEMENT_LAYOUTS } from "../../api/statements/statement-layouts";
import { parseStatement } from "../../api/statements/statement-parser";
import { TODAY } from "./statement-fixtures";

/**
 * Amounts survive generator → parser exactly, in every layout and format — XLSX included, where
 * they travel as spreadsheet numbers. Amounts are drawn as digit strings (never JS numbers) of up
 * to 12 digits before the point, so that six of them still give a balance we keep; the largest
 * amount we keep, 9,999,999,999,999.99, is tried on its own. The model of the running balance is
 * whole fen as a BigInt.
 */

const digit = fc.constantFrom(..."0123456789".split(""));
const amountText = fc
  .tuple(fc.constantFrom(..."123456789".split("")), fc.array(digit, { maxLength: 11 }), digit, digit)
  .map(([first, rest, d1, d2]) => `${first}${rest.join("")}.${d1}${d2}`);
const smallAmountText = fc.tuple(fc.constantFrom("0", "1", "7"), digit, digit).map(([w, d1, d2]) => `${w}.${d1}${d2}`).filter((s) => s !== "0.00");
const line = fc.record({ amount: fc.oneof(amountText, smallAmountText), credit: fc.boolean() });
const fen = (s: string) => BigInt(s.replace(".", ""));
const yuan = (f: bigint) => {
  const neg = f < 0n;
  const a = neg ? -f : f;
  return `${neg ? "-" : ""}${a / 100n}.${(a % 100n).toString().padStart(2, "0")}`;
};

const cases = Object.values(STATEMENT_LAYOUTS).flatMap((layout) => [
  { layout, format: { kind: "csv" as const, encoding: "gb18030" as const } },
  { layout, format: { kind: "xlsx" as const } },
]);

test.each(cases)("$layout.name as $format.kind: every amount and balance comes back to the fen", async ({ layout, format }) => {
  await fc.assert(
    fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 6 }), async (drawn) => {
      let balance = 0n;
      const lines: GeneratedLine[] = drawn.map((d, i) => {
        balance += d.credit ? fen(d.amount) : -fen(d.amount);
        return {
          valueDate: `2024-03-${String(10 + i).padStart(2, "0")}`,
          direction: d.credit ? "credit" : "debit",
          amount: new MoneyDecimal(d.amount),
          balanceAfter: new MoneyDecimal(yuan(balance)),
          counterpartyName: "付款人",
        };
      });
      const file = await generateStatement({ layout, account: { number: "43050101040012345", name: "法院" }, lines }, format);
      const parsed = await parseStatement(file, format.kind, layout, { today: TODAY });
      const inTime = layout.render.newestFirst ? [...parsed.lines].reverse() : parsed.lines;
      expect(inTime.map((l) => [l.direction, l.amount.toFixed(2), l.balanceAfter?.toFixed(2)])).toEqual(
        lines.map((l) => [l.direction, l.amount.toFixed(2), l.balanceAfter!.toFixed(2)]),
      );
      expect(parsed.closingBalance?.toFixed(2)).toBe(yuan(balance));
    }),
    { numRuns: 40 },
  );
});

test.each(cases)("$layout.name as $format.kind: the largest amount we keep comes back to the fen", async ({ layout, format }) => {
  const amount = new MoneyDecimal("9999999999999.99");
  const lines: GeneratedLine[] = [{ valueDate: "2024-03-11", direction: "credit", amount, balanceAfter: amount }];
  const file = await generateStatement({ layout, account: { number: "43050101040012345", name: "法院" }, lines }, format);
  const parsed = await parseStatement(file, format.kind, layout, { today: TODAY });
  expect(parsed.lines.map((l) => [l.amount.toFixed(2), l.balanceAfter?.toFixed(2)])).toEqual([["9999999999999.99", "9999999999999.99"]]);
});
