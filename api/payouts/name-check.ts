import { sameName } from "../core/names";

/**
 * The name check of a payout: the account's name is not the payee's (the party's, or the agent's
 * when an agent is paid). `刘某` paid into an account named `湖南某律师事务所` is the pattern of
 * fictitious payees; the batch view and the payment file flag it so that an approver looks first.
 * The comparison is api/core/names.ts's, shared with the bank transfer file.
 */
export function nameMismatch(payeeName: string | null, accountName: string | null): boolean {
  if (payeeName === null || accountName === null) return false;
  return !sameName(payeeName, accountName);
}
