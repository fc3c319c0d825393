import type { Knex } from "knex";
import type { Actor } from "./actor";
import { assertCourtAccess } from "./court-scope";
import { invalidState, notFound, samePerson } from "./errors";

interface PendingRequest {
  court_id: string;
  status: string;
  requested_by: string;
}

/**
 * Four eyes for a change someone asked for (a bank account change, a deferral): the request is
 * locked, must be of the approver's court (404 otherwise), still pending, and asked by someone else.
 */
export async function lockPendingForApproval<R extends PendingRequest>(
  tx: Knex.Transaction,
  opts: { table: string; id: string; actor: Actor; what: string },
): Promise<R> {
  const row = (await tx(opts.table).where({ id: opts.id }).forUpdate().first()) as R | undefined;
  if (!row) throw notFound(opts.what);
  assertCourtAccess(opts.actor, row.court_id, opts.what);
  if (row.status !== "pending") throw invalidState(`${opts.what} has already been approved`);
  if (row.requested_by === opts.actor.id) throw samePerson(`${opts.what} was asked for by you: a second person must approve it`);
  return row;
}
