import crypto from "node:crypto";
import { formatMoney } from "../core/money";
import type { StatementLine } from "./statement-parser";

/**
 * What makes a statement line the same line when it comes again — the same file imported twice,
 * or two statements that overlap by a few days. The answer is a SHA-256 in hex, stored with the
 * line under a unique index, so that a line already known adds nothing.
 *
 * - With a bank reference (流水号, 日志号): the account, the reference, and the direction and
 *   amount. The reference alone would do for most banks, but some give a transfer and its fee one
 *   reference; direction and amount keep those two apart, and are the same in every export of it.
 * - Without one (ICBC's detail export has none): the account, value date, direction, amount, the
 *   counterparty (account and name) and the running balance after the line. The balance is what
 *   tells two identical payments on one day apart — the same payer paying 500.00 twice on
 *   2024-03-11 leaves the balance at 10,500.00 after the first and 11,000.00 after the second —
 *   and it is the same in every export of that line, since it is the bank's own ledger.
 * - Without a reference and without a balance, identical payments can only be told apart by
 *   their order: `occurrence` (1, 2, …) counts them within one file, see `fingerprintLines`. Two
 *   statements that both cover that whole day count them alike.
 *
 * Blanks and full-width parentheses in names are normalised, since exports of one line differ in
 * them; the date is the value date.
 */
export function lineFingerprint(line: StatementLine, accountNumber: string, occurrence = 1): string {
  const account = digitsOnly(accountNumber);
  const parts = line.bankReference
    ? ["stmt-line-v1", "ref", account, line.bankReference.trim(), line.direction, formatMoney(line.amount)]
    : [
        "stmt-line-v1",
        "noref",
        account,
        line.valueDate,
        line.direction,
        formatMoney(line.amount),
        digitsOnly(line.counterpartyAccount ?? ""),
        normaliseName(line.counterpartyName ?? ""),
        line.balanceAfter ? formatMoney(line.balanceAfter) : "",
        line.balanceAfter ? "" : String(occurrence),
      ];
  return crypto.createHash("sha256").update(parts.join("\u001f"), "utf8").digest("hex");
}

/**
 * The fingerprint of every line of one file, counting identical lines (no reference, no balance)
 * in file order, so that two real payments are two lines and not one line seen twice.
 */
export function fingerprintLines(lines: StatementLine[], accountNumber: string): string[] {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    if (line.bankReference || line.balanceAfter) return lineFingerprint(line, accountNumber);
    const base = lineFingerprint(line, accountNumber, 0);
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    return lineFingerprint(line, accountNumber, occurrence);
  });
}

function digitsOnly(s: string): string {
  return s.replace(/[\s-]/g, "");
}

function normaliseName(name: string): string {
  return name.replace(/（/g, "(").replace(/）/g, ")").replace(/[\s\u3000]+/g, "");
}
