import { normaliseIdentifier } from "../core/text-policy";
/** The masks of personal numbers live in the kernel (api/core/masking.ts), for every feature to use. */
export { maskAccountNumber, maskIdNumber } from "../core/masking";

/**
 * Case numbers are compared after normalising: full-width parentheses become half-width, and
 * blanks (including the full-width space) at either end are dropped. `（2024）湘1129执123号`
 * and `(2024)湘1129执123号` are one case.
 */
export function normaliseCaseNumber(caseNumber: string): string {
  // NFKC makes full-width digits, parentheses and blanks plain; invisible characters go, and so do
  // blanks inside, so that no look-alike of a case number can pass as a second one.
  return normaliseIdentifier(caseNumber).replace(/〔/g, "(").replace(/〕/g, ")").replace(/\s+/g, "");
}
