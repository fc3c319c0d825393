import type { Knex } from "knex";

/**
 * The listing rules other queries need in SQL, in one place (the code's own versions are in
 * listing-rules.ts; test/listings/listing-sql.test.ts checks that the two agree).
 */

/** `effectiveStatus` in SQL over `l` (listings); binds today once. */
export const EFFECTIVE_STATUS_SQL = `CASE WHEN l.status IN ('active','removal_pending') AND l.expires_on < ? THEN 'expired' ELSE l.status END`;

/**
 * A superset of the listings that have a removal deadline (the exact test is `removalDue` in
 * code): the case fully performed or terminated, the listing removed, expired or its removal
 * requested, or an objection upheld. Needs `l` (listings), `c` (cases) and `b` (case_balances).
 */
export function mayHaveRemovalDeadline(w: Knex.QueryBuilder, knex: Knex, today: string): Knex.QueryBuilder {
  return w
    .whereNotNull("b.fully_performed_on")
    .orWhereIn("c.closure_type", ["terminated", "withdrawn"])
    .orWhereIn("l.status", ["removed", "expired", "removal_pending"])
    .orWhere("l.expires_on", "<", today)
    .orWhereExists((e) => e.select(knex.raw("1")).from("listing_objections as o").whereRaw("o.court_id = l.court_id AND o.listing_id = l.id AND o.status = 'upheld'"));
}

/** `%`, `_` and `\` are literal in a name search. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
