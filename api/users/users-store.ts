import type { Knex } from "knex";
import type { Actor, Role } from "../core/actor";

export interface UserRow {
  id: string;
  name: string;
  roles: Role[];
  created_at: Date;
}

export const usersStore = {
  async insert(
    tx: Knex.Transaction,
    user: { id: string; name: string; roles: Role[]; tokenHash: string; createdBy: string | null; courtIds: string[] },
  ): Promise<UserRow> {
    const [row] = await tx("users")
      .insert({ id: user.id, name: user.name, roles: user.roles, token_hash: user.tokenHash, created_by: user.createdBy })
      .returning<UserRow[]>(["id", "name", "roles", "created_at"]);
    if (user.courtIds.length > 0) {
      await tx("user_courts").insert(user.courtIds.map((courtId) => ({ user_id: user.id, court_id: courtId })));
    }
    return row;
  },

  async anyAdminExists(knex: Knex): Promise<boolean> {
    const row = await knex("users").whereRaw("'admin' = ANY(roles)").first("id");
    return row !== undefined;
  },

  async findById(knex: Knex, id: string): Promise<UserRow | undefined> {
    return knex("users").where({ id }).first<UserRow | undefined>("id", "name", "roles", "created_at");
  },

  async actorByTokenHash(knex: Knex, tokenHash: string): Promise<Actor | null> {
    const row = await knex("users as u")
      .leftJoin("user_courts as uc", "uc.user_id", "u.id")
      .where("u.token_hash", tokenHash)
      .groupBy("u.id")
      .first<{ id: string; name: string; roles: Role[]; court_ids: (string | null)[] } | undefined>(
        "u.id",
        "u.name",
        "u.roles",
        knex.raw("array_agg(uc.court_id ORDER BY uc.court_id) AS court_ids"),
      );
    if (!row) return null;
    return { id: row.id, name: row.name, roles: row.roles, courtIds: row.court_ids.filter((c): c is string => c !== null) };
  },
};
