import { findCaseNumbers } from "./case-number-finder";
import type { StatementLine } from "./statement-parser";

/** What an import decides for one new credit line, before anything is written. */
export type CreditDecision =
  | { kind: "receipt"; caseId: string }
  | { kind: "unidentified"; reason: "no_match" | "case_closed" | "case_ambiguous" };

export interface MatchCase {
  id: string;
  status: "open" | "closed";
  filed_on: string;
}

/**
 * Credit lines match by the case's virtual account, then by a case number found in the remark
 * (full-width parentheses and digits normalised), then not at all. A closed case takes no more
 * money (its line goes to unidentified funds, for finance to return or a clerk to claim), nor
 * does a case for money that arrived before it was filed; two different case numbers in one
 * remark are ambiguous.
 */
export function decideCredit(line: StatementLine, byVirtual: Map<string, MatchCase>, byNumber: Map<string, MatchCase>): CreditDecision {
  const viaAccount = line.virtualAccount ? byVirtual.get(line.virtualAccount) : undefined;
  let target = viaAccount;
  if (!target) {
    const found = [...new Set(findCaseNumbers(line.remark).map((k) => byNumber.get(k)).filter((c): c is MatchCase => c !== undefined))];
    if (found.length > 1) return { kind: "unidentified", reason: "case_ambiguous" };
    target = found[0];
  }
  if (!target) return { kind: "unidentified", reason: "no_match" };
  if (target.status !== "open") return { kind: "unidentified", reason: "case_closed" };
  if (line.valueDate < target.filed_on) return { kind: "unidentified", reason: "no_match" };
  return { kind: "receipt", caseId: target.id };
}

/** Our transfer references (payment-file.ts): CEF- + the batch id's first 8 characters + - + the 1-based line. */
const CEF = /CEF-([0-9a-f]{8})-([1-9][0-9]{0,6})/i;

export function cefReference(line: StatementLine): { batchPrefix: string; position: number } | undefined {
  const m = CEF.exec([line.bankReference ?? "", line.remark ?? ""].join(" "));
  return m ? { batchPrefix: m[1].toLowerCase(), position: Number(m[2]) - 1 } : undefined;
}
