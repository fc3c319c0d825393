import { normaliseIdentifier } from "./text-policy";

/**
 * A name as a bank compares it, for the name check of payouts (the one rule, used by the batch view,
 * the payment file and the bank transfer file): full-width characters made plain (NFKC: letters,
 * digits, parentheses, the ideographic space), blanks and invisible characters gone, Latin letters
 * in one case.
 */
export function comparableName(name: string): string {
  return normaliseIdentifier(name).replace(/\s+/g, "").toUpperCase();
}

export function sameName(a: string, b: string): boolean {
  return comparableName(a) === comparableName(b);
}
