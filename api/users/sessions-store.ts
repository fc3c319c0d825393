import type { Knex } from "knex";

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
}

export interface ApiTokenRow {
  id: string;
  user_id: string;
  name: string;
  expires_on: string | null;
  created_at: Date;
  created_by: string | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export type SessionEndReason = "signed_out" | "password_changed" | "password_reset" | "deactivated";

/** Failures that count against a sign-in: within the window, and for a username only since its last success. */
export interface FailureCount {
  failures: number;
  /** When the oldest failure that still counts leaves the window (the earliest a retry can help). */
  clearsAt: Date | null;
}

export const sessionsStore = {
  async insertSession(tx: Knex.Transaction, row: { id: string; user_id: string; token_hash: string; expires_at: Date; client_ip: string }): Promise<SessionRow> {
    const [inserted] = await tx("sessions").insert(row).returning<SessionRow[]>(["id", "user_id", "created_at", "expires_at"]);
    return inserted;
  },

  async endSession(tx: Knex.Transaction, id: string, reason: SessionEndReason): Promise<boolean> {
    const ended = await tx("sessions").where({ id }).whereNull("ended_at").update({ ended_at: tx.fn.now(), end_reason: reason }).returning("id");
    return ended.length > 0;
  },

  /** Ends every live session of the user but `keepId`; answers how many ended. */
  async endUserSessions(tx: Knex.Transaction, userId: string, reason: SessionEndReason, keepId?: string): Promise<number> {
    const q = tx("sessions").where({ user_id: userId }).whereNull("ended_at");
    if (keepId) q.whereNot({ id: keepId });
    const ended = await q.update({ ended_at: tx.fn.now(), end_reason: reason }).returning("id");
    return ended.length;
  },

  /**
   * Serialises sign-in attempts for one username and one client address, so that racing
   * attempts count exactly: always the username first, then the address (no deadlock).
   */
  async lockAttempts(tx: Knex.Transaction, usernameKey: string, clientIp: string): Promise<void> {
    await tx.raw("SELECT pg_advisory_xact_lock(hashtextextended(?, 1)), pg_advisory_xact_lock(hashtextextended(?, 2))", [`user:${usernameKey}`, `ip:${clientIp}`]);
  },

  async usernameFailures(tx: Knex.Transaction, usernameKey: string, windowMinutes: number, limit: number): Promise<FailureCount> {
    const { rows } = await tx.raw<{ rows: { failures: string; oldest: Date | null }[] }>(
      `SELECT count(*) AS failures, min(at) AS oldest FROM (
         SELECT a.at FROM sign_in_attempts a
          WHERE a.username_key = :key AND NOT a.succeeded AND a.at > now() - make_interval(mins => :window)
            AND a.at > coalesce((SELECT max(s.at) FROM sign_in_attempts s WHERE s.username_key = :key AND s.succeeded), '-infinity')
          ORDER BY a.at DESC LIMIT :limit) x`,
      { key: usernameKey, window: windowMinutes, limit },
    );
    return toCount(rows[0], windowMinutes);
  },

  async clientFailures(tx: Knex.Transaction, clientIp: string, windowMinutes: number, limit: number): Promise<FailureCount> {
    const { rows } = await tx.raw<{ rows: { failures: string; oldest: Date | null }[] }>(
      `SELECT count(*) AS failures, min(at) AS oldest FROM (
         SELECT a.at FROM sign_in_attempts a
          WHERE a.client_ip = :ip AND NOT a.succeeded AND a.at > now() - make_interval(mins => :window)
          ORDER BY a.at DESC LIMIT :limit) x`,
      { ip: clientIp, window: windowMinutes, limit },
    );
    return toCount(rows[0], windowMinutes);
  },

  async recordAttempt(tx: Knex.Transaction, a: { usernameKey: string; clientIp: string; succeeded: boolean }): Promise<void> {
    await tx("sign_in_attempts").insert({ username_key: a.usernameKey, client_ip: a.clientIp, succeeded: a.succeeded });
  },

  async insertApiToken(tx: Knex.Transaction, row: Omit<ApiTokenRow, "created_at" | "revoked_at" | "last_used_at"> & { token_hash: string }): Promise<ApiTokenRow> {
    const [inserted] = await tx("api_tokens").insert(row).returning<ApiTokenRow[]>(["id", "user_id", "name", "expires_on", "created_at", "created_by", "revoked_at", "last_used_at"]);
    return inserted;
  },

  async lockApiToken(tx: Knex.Transaction, id: string): Promise<ApiTokenRow | undefined> {
    return tx<ApiTokenRow>("api_tokens").where({ id }).forUpdate().first(["id", "user_id", "name", "expires_on", "created_at", "created_by", "revoked_at", "last_used_at"]);
  },

  async revokeApiToken(tx: Knex.Transaction, id: string, by: string): Promise<void> {
    await tx("api_tokens").where({ id }).update({ revoked_at: tx.fn.now(), revoked_by: by });
  },

  /** Tokens of the given users (null: all users), newest first. */
  async listApiTokens(knex: Knex, f: { userIds: string[] | null; userId?: string; after: string[] | null; limit: number }): Promise<(ApiTokenRow & { cursor_at: string })[]> {
    const q = knex("api_tokens as t")
      .orderBy([{ column: "t.created_at", order: "desc" }, { column: "t.id", order: "desc" }])
      .limit(f.limit + 1)
      .select<(ApiTokenRow & { cursor_at: string })[]>(["t.id", "t.user_id", "t.name", "t.expires_on", "t.created_at", "t.created_by", "t.revoked_at", "t.last_used_at", knex.raw("t.created_at::text AS cursor_at")]);
    if (f.userIds) q.whereIn("t.user_id", f.userIds);
    if (f.userId) q.where("t.user_id", f.userId);
    if (f.after) q.whereRaw("(t.created_at, t.id) < (?::timestamptz, ?::uuid)", f.after);
    return q;
  },
};

function toCount(r: { failures: string; oldest: Date | null } | undefined, windowMinutes: number): FailureCount {
  const failures = Number(r?.failures ?? 0);
  return { failures, clearsAt: r?.oldest ? new Date(r.oldest.getTime() + windowMinutes * 60_000) : null };
}
