import type { Money } from "../core/money";
import type { ParsedStatement, StatementLine, StatementProblem } from "./statement-parser";

const signed = (line: StatementLine): Money => (line.direction === "credit" ? line.amount : line.amount.negated());

/** Breaks in the running balance when the lines are taken in this order. */
function breaks(ordered: StatementLine[]): StatementLine[] {
  const found: StatementLine[] = [];
  for (let i = 1; i < ordered.length; i++) {
    const prev = ordered[i - 1].balanceAfter;
    const cur = ordered[i].balanceAfter;
    if (prev && cur && !prev.plus(signed(ordered[i])).eq(cur)) found.push(ordered[i]);
  }
  return found;
}

/**
 * Banks list lines oldest first (CCB, ABC) or newest first (ICBC). The dates say which; on a
 * single day the running balance does. The closing balance is the balance after the last line in
 * time, the opening balance the one before the first. A break in the running balance — a line
 * missing, or an export filtered to credits only — is reported, not refused: the lines themselves
 * are still the bank's.
 */
export function orderAndBalances(lines: StatementLine[], problems: StatementProblem[]): Pick<ParsedStatement, "openingBalance" | "closingBalance" | "period"> {
  if (lines.length === 0) return {};
  let up = false;
  let down = false;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].valueDate > lines[i - 1].valueDate) up = true;
    if (lines[i].valueDate < lines[i - 1].valueDate) down = true;
  }
  const reversed = [...lines].reverse();
  let ordered: StatementLine[];
  if (up && down) {
    problems.push({ kind: "dates_out_of_order", message: "the lines are neither oldest first nor newest first; file order is taken as the order in time" });
    ordered = lines;
  } else if (up || down) {
    ordered = down ? reversed : lines;
  } else {
    ordered = breaks(reversed).length < breaks(lines).length ? reversed : lines;
  }
  for (const line of breaks(ordered)) {
    problems.push({ lineNo: line.lineNo, kind: "balance_discontinuity", message: "the balance after this line does not follow from the line before it and this line's amount" });
  }
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  const dates = lines.map((l) => l.valueDate).sort();
  return {
    ...(first.balanceAfter ? { openingBalance: first.balanceAfter.minus(signed(first)) } : {}),
    ...(last.balanceAfter ? { closingBalance: last.balanceAfter } : {}),
    period: { from: dates[0], to: dates[dates.length - 1] },
  };
}
