import type { Knex } from "knex";
import { ROLES, type Actor, type Credential, type Role } from "../core/actor";

export interface UserRow {
  id: string;
  username: string;
  name: string;
  roles: Role[];
  active: boolean;
  must_change_password: boolean;
  password_hash: string | null;
  created_at: Date;
}

export type UserWithCourts = UserRow & { court_ids: string[] };

const USER_COLUMNS = ["u.id", "u.username", "u.name", "u.roles", "u.active", "u.must_change_password", "u.password_hash", "u.created_at"];
const courtIdsOf = (knex: Knex) => knex.raw("array(SELECT uc.court_id FROM user_courts uc WHERE uc.user_id = u.id ORDER BY uc.court_id) AS court_ids");

export interface UserFilter {
  /** Users who belong to at least one of these courts; null means every user (an admin of no court). */
  courtIds: string[] | null;
  role?: Role;
  active?: boolean;
  after: string[] | null;
  limit: number;
}

export const usersStore = {
  async insert(
    tx: Knex.Transaction,
    user: { id: string; username: string; name: string; roles: Role[]; passwordHash: string | null; mustChangePassword: boolean; createdBy: string | null; courtIds: string[] },
  ): Promise<UserRow | null> {
    const rows = await tx("users")
      .insert({
        id: user.id,
        username: user.username,
        name: user.name,
        roles: user.roles,
        password_hash: user.passwordHash,
        must_change_password: user.mustChangePassword,
        created_by: user.createdBy,
      })
      // The only unique key a new row can collide on is the username (ids are random).
      .onConflict()
      .ignore()
      .returning<UserRow[]>(["id", "username", "name", "roles", "active", "must_change_password", "password_hash", "created_at"]);
    if (rows.length === 0) return null;
    if (user.courtIds.length > 0) {
      await tx("user_courts").insert(user.courtIds.map((courtId) => ({ user_id: user.id, court_id: courtId })));
    }
    return rows[0];
  },

  async anyAdminExists(knex: Knex): Promise<boolean> {
    const row = await knex("users").whereRaw("'admin' = ANY(roles)").first("id");
    return row !== undefined;
  },

  async find(knex: Knex, id: string): Promise<UserWithCourts | undefined> {
    return knex("users as u").where("u.id", id).first<UserWithCourts | undefined>([...USER_COLUMNS, courtIdsOf(knex)]);
  },

  async findByUsername(knex: Knex, username: string): Promise<UserRow | undefined> {
    return knex("users as u").whereRaw("lower(u.username) = lower(?)", [username]).first<UserRow | undefined>(USER_COLUMNS);
  },

  async lock(tx: Knex.Transaction, id: string): Promise<UserWithCourts | undefined> {
    const row = await tx("users").where({ id }).forUpdate().first("id");
    return row ? this.find(tx, id) : undefined;
  },

  async list(knex: Knex, f: UserFilter): Promise<UserWithCourts[]> {
    const q = knex("users as u").orderBy([{ column: "u.username" }, { column: "u.id" }]).limit(f.limit + 1).select<UserWithCourts[]>([...USER_COLUMNS, courtIdsOf(knex)]);
    if (f.courtIds) q.whereExists(knex("user_courts as uc").whereRaw("uc.user_id = u.id").whereIn("uc.court_id", f.courtIds).select(knex.raw("1")));
    if (f.role) q.whereRaw("? = ANY(u.roles)", [f.role]);
    if (f.active !== undefined) q.where("u.active", f.active);
    if (f.after) q.whereRaw("(u.username, u.id) > (?, ?::uuid)", f.after);
    return q;
  },

  async update(tx: Knex.Transaction, id: string, change: Partial<{ name: string; roles: Role[]; active: boolean; password_hash: string; must_change_password: boolean; deactivated_at: Date | null; deactivated_by: string | null; password_changed_at: Date }>): Promise<void> {
    await tx("users").where({ id }).update(change);
  },

  async replaceCourts(tx: Knex.Transaction, id: string, courtIds: string[]): Promise<void> {
    await tx("user_courts").where({ user_id: id }).del();
    if (courtIds.length > 0) await tx("user_courts").insert(courtIds.map((courtId) => ({ user_id: id, court_id: courtId })));
  },

  /** Active admins other than `exceptId`, under a lock that serialises every change to who is an admin. */
  async otherActiveAdmins(tx: Knex.Transaction, exceptId: string): Promise<number> {
    await tx.raw("SELECT pg_advisory_xact_lock(hashtextextended('active-admins', 0))");
    const rows = await tx("users").whereRaw("'admin' = ANY(roles)").where({ active: true }).whereNot({ id: exceptId }).select("id");
    return rows.length;
  },

  /**
   * The user behind a bearer token: a live session (not ended, not past its absolute end, not idle
   * too long) or an API token (not revoked, not expired), of an active user. One statement.
   */
  async actorByTokenHash(knex: Knex, tokenHash: string, opts: { idleMinutes: number; today: string }): Promise<(Actor & { lastSeenAt: Date | null }) | null> {
    const { rows } = await knex.raw<{
      rows: { kind: "session" | "api_token"; credential_id: string; last_seen_at: Date | null; id: string; name: string; roles: Role[]; must_change_password: boolean; court_ids: string[] }[];
    }>(
      `SELECT c.kind, c.credential_id, c.last_seen_at, u.id, u.name, u.roles, u.must_change_password,
              array(SELECT uc.court_id FROM user_courts uc WHERE uc.user_id = u.id ORDER BY uc.court_id) AS court_ids
         FROM (SELECT 'session' AS kind, s.id AS credential_id, s.user_id, s.last_seen_at
                 FROM sessions s
                WHERE s.token_hash = :hash AND s.ended_at IS NULL AND s.expires_at > now()
                  AND s.last_seen_at > now() - make_interval(mins => :idle)
               UNION ALL
               SELECT 'api_token', t.id, t.user_id, t.last_used_at
                 FROM api_tokens t
                WHERE t.token_hash = :hash AND t.revoked_at IS NULL AND (t.expires_on IS NULL OR t.expires_on >= :today::date)) c
         JOIN users u ON u.id = c.user_id
        WHERE u.active
        LIMIT 1`,
      { hash: tokenHash, idle: opts.idleMinutes, today: opts.today },
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      name: r.name,
      roles: r.roles,
      courtIds: r.court_ids,
      credential: { kind: r.kind, id: r.credential_id },
      mustChangePassword: r.must_change_password,
      lastSeenAt: r.last_seen_at,
    };
  },

  /**
   * A session seen again: its idle clock restarts. Written at most once a minute per session, and
   * only while the session lives (a touch never revives a session that ended or idled out).
   */
  async touchSession(knex: Knex, sessionId: string, idleMinutes: number): Promise<void> {
    await knex("sessions")
      .where({ id: sessionId })
      .whereNull("ended_at")
      .whereRaw("last_seen_at < now() - interval '1 minute' AND last_seen_at > now() - make_interval(mins => ?) AND expires_at > now()", [idleMinutes])
      .update({ last_seen_at: knex.fn.now() });
  },

  async touchApiToken(knex: Knex, tokenId: string): Promise<void> {
    await knex("api_tokens").where({ id: tokenId }).whereRaw("(last_used_at IS NULL OR last_used_at < now() - interval '1 minute')").update({ last_used_at: knex.fn.now() });
  },
};

/**
 * Two columns for the scope statement every transaction of a signed-in user begins with
 * (db/transaction.ts, docs/adr/0006-token-cache.md): `still_valid`, whether the credential is still
 * good for exactly this actor — the session not ended, not past its end, not idle too long, or the
 * API token not revoked, not expired; the user active, with the same roles, must-change-password
 * flag and courts — and `touch_due`, whether the credential's last use is a minute old.
 *
 * With `?` bindings, so that the statement keeps one text per kind of credential and the server
 * plans it once per connection (issue 16): the values still go through closed forms first (uuids,
 * role names, a date, an integer).
 */
export function credentialCheckColumns(actor: Actor & { credential: Credential }, opts: { idleMinutes: number; today: string }): { columns: string; bindings: unknown[] } {
  const credentialId = checkedUuid(actor.credential.id);
  const userId = checkedUuid(actor.id);
  const roles = actor.roles.map((r) => {
    if (!(ROLES as readonly string[]).includes(r)) throw new Error(`not a role: ${JSON.stringify(r)}`);
    return r;
  });
  const courts = actor.courtIds.map(checkedUuid);
  if (!Number.isInteger(opts.idleMinutes) || opts.idleMinutes <= 0) throw new Error("idleMinutes must be a positive integer");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.today)) throw new Error(`not a date: ${JSON.stringify(opts.today)}`);
  const sameUser = `u.id = ?::uuid AND u.active AND u.roles = ?::text[]
        AND u.must_change_password = ?::boolean
        AND array(SELECT uc.court_id FROM user_courts uc WHERE uc.user_id = u.id ORDER BY uc.court_id) = ?::uuid[]`;
  const sameUserBindings = [userId, `{${roles.join(",")}}`, actor.mustChangePassword === true, `{${courts.join(",")}}`];
  if (actor.credential.kind === "session") {
    return {
      columns: `EXISTS (SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = ?::uuid AND s.ended_at IS NULL AND s.expires_at > now()
         AND s.last_seen_at > now() - make_interval(mins => ?::integer) AND ${sameUser}) AS still_valid,
     coalesce((SELECT s.last_seen_at < now() - interval '1 minute' FROM sessions s WHERE s.id = ?::uuid), false) AS touch_due`,
      bindings: [credentialId, opts.idleMinutes, ...sameUserBindings, credentialId],
    };
  }
  return {
    columns: `EXISTS (SELECT 1 FROM api_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.id = ?::uuid AND t.revoked_at IS NULL AND (t.expires_on IS NULL OR t.expires_on >= ?::date) AND ${sameUser}) AS still_valid,
     coalesce((SELECT t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute' FROM api_tokens t WHERE t.id = ?::uuid), false) AS touch_due`,
    bindings: [credentialId, opts.today, ...sameUserBindings, credentialId],
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkedUuid(id: string): string {
  if (!UUID.test(id)) throw new Error(`not a uuid: ${JSON.stringify(id)}`);
  return id.toLowerCase();
}
