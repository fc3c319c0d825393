import crypto from "node:crypto";
import type { Knex } from "knex";
import { canonicalJson } from "../core/canonical-json";
import { AppError, validationFailed } from "../core/errors";
import { atCommit, type Statement } from "../../db/transaction";

const KEY_FORM = /^[A-Za-z0-9._:-]{8,200}$/;
const KEEP_HOURS = 48;

/** Who asked, on which route, under which key, with which request: what a replay must match. */
export interface IdempotencyClaim {
  userId: string;
  /** The route template (`POST /v1/cases/:id/receipts`), so that ids in the path go into the fingerprint instead. */
  route: string;
  key: string;
  fingerprint: string;
}

export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** The Idempotency-Key header of a money-moving request: present and well formed, or a 400. */
export function requireIdempotencyKey(key: string | undefined): string {
  if (key === undefined || key === "") {
    throw new AppError("idempotency_key_required", "This request moves money: send an Idempotency-Key header (a UUID works well)");
  }
  if (!KEY_FORM.test(key)) {
    throw validationFailed([{ path: "header.Idempotency-Key", message: "invalid form" }], "The Idempotency-Key must be 8 to 200 characters of letters, digits and . _ : -");
  }
  return key;
}

export function requestFingerprint(path: string, body: unknown): string {
  return crypto.createHash("sha256").update(canonicalJson({ url: path, body: body ?? null })).digest("hex");
}

/**
 * Inside the request's transaction: takes the key (409 `idempotency_key_in_flight` while another
 * request holds it) and answers the stored first response if there is one (422
 * `idempotency_key_reused` if it was for another request).
 *
 * One statement in the common case: under a try-lock on the key, insert a pending claim row (or
 * take over an expired one). A second statement runs only when no row came back — the key is in
 * flight, or a live answer exists — and reads it with a fresh snapshot, which sees an answer
 * committed by the holder the lock just waited out. The claim row is rolled back with a refusal, so
 * refusals are never replayed.
 *
 * This is that statement; the runner sends it with the transaction's BEGIN. With
 * `withActiveUser` it also takes the caller's share lock on her user row (see the runner's
 * assertStillActive); when no row comes back, `settleClaim` asks again on its own.
 */
export function claimStatement(c: IdempotencyClaim, opts: { withActiveUser: boolean }): Statement {
  const activeUser = opts.withActiveUser ? "AND EXISTS (SELECT 1 FROM users WHERE id = ? AND active FOR SHARE)" : "";
  return {
    sql: `INSERT INTO idempotency_keys (user_id, route, key, fingerprint, status_code, response_body, expires_at)
     SELECT ?, ?, ?, ?, 0, 'null'::jsonb, now() + interval '${KEEP_HOURS} hours'
      WHERE pg_try_advisory_xact_lock(hashtextextended(?, 0)) ${activeUser}
     ON CONFLICT (user_id, route, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status_code = 0,
       response_body = 'null'::jsonb, created_at = now(), expires_at = EXCLUDED.expires_at
      WHERE idempotency_keys.expires_at <= now()
     RETURNING true AS claimed`,
    bindings: opts.withActiveUser ? [c.userId, c.route, c.key, c.fingerprint, lockName(c), c.userId] : [c.userId, c.route, c.key, c.fingerprint, lockName(c)],
  };
}

/** What the claim statement's rows mean: claimed (null), or a replay, or a refusal. */
export async function settleClaim(
  tx: Knex.Transaction,
  c: IdempotencyClaim,
  claimedRows: readonly unknown[],
  opts: { userStillActive: (tx: Knex.Transaction) => Promise<void> } | null,
): Promise<StoredAnswer | null> {
  if (claimedRows.length === 1) return null;
  if (opts) await opts.userStillActive(tx);
  const previous = await tx("idempotency_keys")
    .where({ user_id: c.userId, route: c.route, key: c.key })
    .andWhere("expires_at", ">", tx.fn.now())
    .andWhere("status_code", ">", 0)
    .first<{ fingerprint: string; status_code: number; response_body: unknown } | undefined>();
  if (!previous) {
    throw new AppError("idempotency_key_in_flight", "A request with this Idempotency-Key is still being processed; retry shortly");
  }
  if (previous.fingerprint !== c.fingerprint) {
    throw new AppError("idempotency_key_reused", "This Idempotency-Key was already used with a different request body or path");
  }
  return { status: previous.status_code, body: previous.response_body };
}

function lockName(c: IdempotencyClaim): string {
  return `${c.userId}|${c.route}|${c.key}`;
}

/** Stores the first answer on the claim row, in the same transaction as its effect (sent with its COMMIT). */
export async function storeIdempotentAnswer(tx: Knex.Transaction, c: IdempotencyClaim, answer: StoredAnswer): Promise<void> {
  await atCommit(tx, `UPDATE idempotency_keys SET status_code = ?, response_body = ?::jsonb WHERE user_id = ? AND route = ? AND key = ?`, [
    answer.status,
    JSON.stringify(answer.body),
    c.userId,
    c.route,
    c.key,
  ]);
}

/** Replay records are kept 48 hours; the server sweeps expired ones every hour. */
export async function purgeExpiredIdempotencyKeys(knex: Knex): Promise<number> {
  // RETURNING, not del()'s count: knex-pglite answers del() with the raw result instead of a number.
  const removed = await knex("idempotency_keys").where("expires_at", "<", knex.fn.now()).del().returning("key");
  return removed.length;
}
