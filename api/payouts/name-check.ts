import { normaliseIdentifier } from "../core/text-policy";

/** A name as the bank compares it: full-width characters made plain (NFKC), blanks and invisible characters gone, Latin letters in one case. */
export function comparableName(name: string): string {
  return normaliseIdentifier(name).replace(/\s+/g, "").toUpperCase();
}

/**
 * The name check of a payout: the account's name is not the payee's (the party's, or the agent's
 * when an agent is paid). `刘某` paid into an account named `湖南某律师事务所` is the pattern of
 * fictitious payees; the batch view and the payment file flag it so that an approver looks first.
 */
export function nameMismatch(payeeName: string | null, accountName: string | null): boolean {
  if (payeeName === null || accountName === null) return false;
  return comparableName(payeeName) !== comparableName(accountName);
}
