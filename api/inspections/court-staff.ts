import type { Knex } from "knex";
import type { Role } from "../core/actor";
import { notFound } from "../core/errors";
import type { ReadContext } from "../core/operation";
import type { Schemas } from "../core/schemas";

/** The roles of the people a finding may hold responsible: the court's own staff. */
export const STAFF_ROLES: readonly Role[] = ["clerk", "finance", "approver", "list_officer"];
const MAX_STAFF = 1000;

/**
 * The court's active staff for the finding form's responsible-user select: id, name and roles,
 * nothing else (no username, no contact). An inspector lists a court she belongs to (another
 * court: 404); an admin any court. The same users `createFinding` accepts as responsible, less
 * the deactivated and the inspectors and admins who hold no staff role.
 */
export async function listCourtStaff(ctx: ReadContext, courtId: string): Promise<{ data: Schemas["CourtStaffMember"][] }> {
  const isAdmin = ctx.actor.roles.includes("admin");
  if (!isAdmin && !ctx.actor.courtIds.includes(courtId)) throw notFound("The court");
  if (!(await ctx.db("courts").where({ id: courtId }).first("id"))) throw notFound("The court");
  return { data: await courtStaffRows(ctx.db, courtId) };
}

async function courtStaffRows(knex: Knex, courtId: string): Promise<Schemas["CourtStaffMember"][]> {
  const rows = await knex("users as u")
    .join("user_courts as uc", "uc.user_id", "u.id")
    .where({ "uc.court_id": courtId, "u.active": true })
    .whereRaw("u.roles && ?::text[]", [STAFF_ROLES as Role[]])
    .orderBy([{ column: "u.name" }, { column: "u.id" }])
    .limit(MAX_STAFF)
    .select<{ id: string; name: string; roles: Role[] }[]>("u.id", "u.name", "u.roles");
  return rows.map((r) => ({ id: r.id, name: r.name, roles: r.roles }));
}
