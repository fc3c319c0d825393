import type { Actor } from "./actor";
import { assertCourtAccess } from "./court-scope";
import { invalidState, notFound, samePerson } from "./errors";

/**
 * Four eyes: the person acting must be none of those who asked for or prepared the thing
 * (by user id). The one home of the rule; each feature says who counts as "earlier".
 */
export function requireSecondPerson(actor: Actor, earlier: readonly (string | null)[], message: string): void {
  if (earlier.includes(actor.id)) throw samePerson(message);
}

export interface PendingRequest {
  court_id: string;
  status: string;
  requested_by: string;
}

/**
 * A change someone asked for (a bank account change, a deferral), locked by the caller, may be
 * decided: it exists in the approver's court (404 otherwise), is still pending, and was asked
 * for by someone else.
 */
export function checkPendingDecision<R extends PendingRequest>(row: R | undefined, actor: Actor, what: string): R {
  if (!row) throw notFound(what);
  assertCourtAccess(actor, row.court_id, what);
  if (row.status !== "pending") throw invalidState(`${what} has already been ${row.status}`);
  requireSecondPerson(actor, [row.requested_by], `${what} was asked for by you: a second person must approve it`);
  return row;
}
