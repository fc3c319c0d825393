import type { Knex } from "knex";
import type { Limiter, RateDecision } from "./rate-limiter";

/**
 * A rate limit kept in the database: a fixed one-minute window per key, counted by one statement
 * (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`), so that every process on the database shares
 * the count and it survives a restart.
 */
export class DbRateLimiter implements Limiter {
  constructor(
    private readonly knex: Knex,
    private readonly opts: { limit: number; prefix: string },
  ) {}

  async take(key: string): Promise<RateDecision> {
    const { rows } = await this.knex.raw<{ rows: { hits: number; seconds_left: string } [] }>(
      `INSERT INTO rate_limit_hits AS h (bucket, window_start, hits) VALUES (?, date_trunc('minute', now()), 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = h.hits + 1
       RETURNING h.hits, ceil(extract(epoch FROM (h.window_start + interval '1 minute' - now())))::text AS seconds_left`,
      [`${this.opts.prefix}:${key}`.slice(0, 200)],
    );
    const { hits, seconds_left } = rows[0];
    if (hits <= this.opts.limit) return { allowed: true, remaining: this.opts.limit - hits };
    return { allowed: false, retryAfterSeconds: Math.max(1, Number(seconds_left)) };
  }
}

/** Windows older than an hour are of no use: the server sweeps them with the idempotency records. */
export async function purgeOldRateLimitWindows(knex: Knex): Promise<number> {
  const removed = await knex("rate_limit_hits").where("window_start", "<", knex.raw("now() - interval '1 hour'")).del().returning("bucket");
  return removed.length;
}
