import crypto from "node:crypto";
import type { Request, Response } from "express";
import type { Knex } from "knex";
import { withTransaction } from "../../db/transaction";
import { canonicalJson } from "../audit/audit-store";
import { actorOf } from "./context";
import { AppError } from "./errors";

const KEY_FORM = /^[A-Za-z0-9._:-]{8,200}$/;
const KEEP_HOURS = 48;

export interface Outcome<T> {
  status: number;
  body: T;
}

/**
 * Runs a money-moving request at most once per (user, route, Idempotency-Key).
 * - the first request runs `work` and stores its response in the same transaction as its effect;
 * - the same key with the same body replays that response (`Idempotent-Replayed: true`);
 * - the same key with another body is 422 `idempotency_key_reused`;
 * - the same key while the first is still running is 409 `idempotency_key_in_flight`.
 * Refusals (4xx) are not stored, so a corrected retry with the same key can still succeed.
 */
export async function runIdempotent<T>(
  req: Request,
  res: Response,
  work: (tx: Knex.Transaction) => Promise<Outcome<T>>,
): Promise<void> {
  const actor = actorOf(req);
  const key = req.get("Idempotency-Key");
  if (key === undefined || key === "") {
    throw new AppError("idempotency_key_required", "This request moves money: send an Idempotency-Key header (a UUID works well)");
  }
  if (!KEY_FORM.test(key)) {
    throw new AppError("validation_failed", "The Idempotency-Key must be 8 to 200 characters of letters, digits and . _ : -", {
      errors: [{ path: "header.Idempotency-Key", message: "invalid form" }],
    });
  }
  // The route template, not the URL, so that ids in the path are part of the fingerprint instead.
  const route = `${req.method} ${req.baseUrl}${req.route?.path ?? req.path}`;
  const fingerprint = crypto
    .createHash("sha256")
    .update(canonicalJson({ url: req.originalUrl.split("?")[0], body: req.body ?? null }))
    .digest("hex");

  const outcome = await withTransaction(req.ctx.db.knex, async (tx) => {
    const lockKey = `${actor.id}|${route}|${key}`;
    const locked = await tx.raw<{ rows: { locked: boolean }[] }>(
      "SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0)) AS locked",
      [lockKey],
    );
    if (!locked.rows[0].locked) {
      throw new AppError("idempotency_key_in_flight", "A request with this Idempotency-Key is still being processed; retry shortly");
    }
    const previous = await tx("idempotency_keys")
      .where({ user_id: actor.id, route, key })
      .andWhere("expires_at", ">", tx.fn.now())
      .first<{ fingerprint: string; status_code: number; response_body: T } | undefined>();
    if (previous) {
      if (previous.fingerprint !== fingerprint) {
        throw new AppError("idempotency_key_reused", "This Idempotency-Key was already used with a different request body or path");
      }
      return { status: previous.status_code, body: previous.response_body, replayed: true };
    }
    const result = await work(tx);
    await tx.raw(
      `INSERT INTO idempotency_keys (user_id, route, key, fingerprint, status_code, response_body, expires_at)
       VALUES (?, ?, ?, ?, ?, ?::jsonb, now() + interval '${KEEP_HOURS} hours')
       ON CONFLICT (user_id, route, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
         status_code = EXCLUDED.status_code, response_body = EXCLUDED.response_body,
         created_at = now(), expires_at = EXCLUDED.expires_at`,
      [actor.id, route, key, fingerprint, result.status, JSON.stringify(result.body)],
    );
    return { ...result, replayed: false };
  });

  if (outcome.replayed) res.setHeader("Idempotent-Replayed", "true");
  res.status(outcome.status).json(outcome.body);
}

/** Replay records are kept 48 hours; the server sweeps expired ones every hour. */
export async function purgeExpiredIdempotencyKeys(knex: Knex): Promise<number> {
  // RETURNING, not del()'s count: knex-pglite answers del() with the raw result instead of a number.
  const removed = await knex("idempotency_keys").where("expires_at", "<", knex.fn.now()).del().returning("key");
  return removed.length;
}
