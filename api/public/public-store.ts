import type { Knex } from "knex";
import { EFFECTIVE_STATUS_SQL, escapeLike } from "../listings/listing-sql";

export interface PublicDebtorRow {
  name: string;
  kind: "person" | "organization";
  id_number: string | null;
  court_name: string;
  case_number: string;
  ground: string;
  decided_on: string;
  published_on: string;
}

/**
 * Listings the public may see: stored `active` (never pending removal, removed or expired), still
 * in their term on `today`, and on at least one channel not yet withdrawn. Exact name matches come
 * first, then names that start with the text. Across all courts: the list is national.
 */
export async function findPublicDebtors(knex: Knex, opts: { name: string; today: string; limit: number }): Promise<PublicDebtorRow[]> {
  return knex("listings as l")
    .join("parties as p", "p.id", "l.party_id")
    .join("cases as c", (j) => j.on("c.court_id", "l.court_id").andOn("c.id", "l.case_id"))
    .join("courts as co", "co.id", "l.court_id")
    .join("listing_publications as pub", (j) =>
      j.on("pub.court_id", "l.court_id").andOn("pub.listing_id", "l.id").andOnNull("pub.withdrawn_on"),
    )
    .whereRaw(`${EFFECTIVE_STATUS_SQL} = 'active'`, [opts.today])
    .where("pub.published_on", "<=", opts.today)
    .whereRaw(`p.name LIKE ? ESCAPE '\\'`, [`${escapeLike(opts.name)}%`])
    .groupBy("l.id", "p.name", "p.kind", "p.id_number", "co.name", "c.case_number", "l.ground", "l.decided_on")
    .orderByRaw("(p.name = ?) DESC, p.name, l.decided_on DESC, l.id", [opts.name])
    .limit(opts.limit)
    .select<PublicDebtorRow[]>(
      "p.name",
      "p.kind",
      "p.id_number",
      "co.name as court_name",
      "c.case_number",
      "l.ground",
      "l.decided_on",
      knex.raw("min(pub.published_on) AS published_on"),
    );
}
