import type { Knex } from "knex";
import type { Role } from "../core/actor";

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
};
