import type { Actor } from "./actor";
import { notFound } from "./errors";

/**
 * Court scope: a resource of a court the user does not belong to answers 404, exactly as a
 * resource that does not exist, so that its existence does not leak.
 */
export function assertCourtAccess(actor: Actor, courtId: string, what: string): void {
  if (!actor.courtIds.includes(courtId)) throw notFound(what);
}

export function canAccessCourt(actor: Actor, courtId: string): boolean {
  return actor.courtIds.includes(courtId);
}

/**
 * The courts a list or report covers: the one asked for (404 if it is not the user's), or all the
 * user's courts when none is named.
 */
export function courtsInScope(actor: Actor, courtId: string | undefined): string[] {
  if (courtId === undefined) return actor.courtIds;
  assertCourtAccess(actor, courtId, "The court");
  return [courtId];
}
