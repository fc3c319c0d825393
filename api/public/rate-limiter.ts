/** Anything that can decide whether one more request from a key may go ahead. */
export interface Limiter {
  take(key: string): RateDecision | Promise<RateDecision>;
}

/**
 * A token bucket per client address, in memory (tests, and a single process that wants no database
 * round trip): each address may make `limit` requests at once
 * and regains one every `windowMs / limit`. One process only (no shared store): behind several
 * instances, each allows its own `limit`. The map never holds more than `maxKeys` addresses (the
 * least recently seen are forgotten first), so a flood of addresses cannot exhaust memory.
 */
export interface RateLimiterOptions {
  /** Requests per window. */
  limit: number;
  windowMs?: number;
  maxKeys?: number;
  /** Milliseconds; injectable so that tests need not wait. */
  now?: () => number;
}

export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

export class RateLimiter implements Limiter {
  readonly limit: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: RateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError("limit must be a positive whole number");
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  private refillPerMs(): number {
    return this.limit / this.windowMs;
  }

  take(key: string): RateDecision {
    const nowMs = this.now();
    const previous = this.buckets.get(key);
    const tokens = previous ? Math.min(this.limit, previous.tokens + (nowMs - previous.updatedAtMs) * this.refillPerMs()) : this.limit;
    // Re-insert, so that the map's order is least recently used first.
    this.buckets.delete(key);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, updatedAtMs: nowMs });
      this.evict();
      return { allowed: true, remaining: Math.floor(tokens - 1) };
    }
    this.buckets.set(key, { tokens, updatedAtMs: nowMs });
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.refillPerMs() / 1000)) };
  }

  /** Addresses currently remembered (for tests and metrics). */
  size(): number {
    return this.buckets.size;
  }

  /** Over capacity, the least recently seen tenth goes at once: amortised O(1) per request. */
  private evict(): void {
    if (this.buckets.size <= this.maxKeys) return;
    const target = Math.floor(this.maxKeys * 0.9);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(key);
    }
  }
}
