import type { Knex } from "knex";
import { maskIdNumber } from "../cases/masking";
import type { Schemas } from "../core/schemas";
import { findPublicDebtors } from "./public-store";

export const PUBLIC_RESULT_LIMIT = 50;

/** The public lookup: never a full id number, never an internal id, never a listing that is not live. */
export async function searchDishonestDebtors(
  knex: Knex,
  opts: { name: string; today: string },
): Promise<{ data: Schemas["PublicDebtor"][]; truncated: boolean }> {
  const rows = await findPublicDebtors(knex, { ...opts, limit: PUBLIC_RESULT_LIMIT + 1 });
  return {
    data: rows.slice(0, PUBLIC_RESULT_LIMIT).map((r) => ({
      name: r.name,
      kind: r.kind,
      idNumberMasked: maskIdNumber(r.id_number),
      courtName: r.court_name,
      caseNumber: r.case_number,
      ground: r.ground as Schemas["PublicDebtor"]["ground"],
      decidedOn: r.decided_on,
      publishedOn: r.published_on,
    })),
    truncated: rows.length > PUBLIC_RESULT_LIMIT,
  };
}
