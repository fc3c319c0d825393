import type { Actor } from "../core/actor";

export interface ActorCacheOptions {
  /** At most this many tokens are remembered; the least recently used goes first. */
  maxEntries: number;
  /** An entry is forgotten this long after it was looked up in the database. */
  ttlMs: number;
}

interface Entry {
  actor: Actor;
  storedAtMs: number;
}

/**
 * The actors this process resolved recently, by the SHA-256 of their bearer token (never the
 * token itself). A hit saves the token lookup statement, nothing more: every transaction of a
 * signed-in caller re-checks the credential in its scope statement, and a stale entry is evicted
 * and resolved afresh (docs/adr/0006-token-cache.md). So revocation does not wait for the TTL;
 * the TTL and the bound only limit the memory and how long an unused entry lingers.
 */
export class ActorCache {
  private readonly entries = new Map<string, Entry>();
  private readonly options: ActorCacheOptions;

  constructor(options: Partial<ActorCacheOptions> = {}) {
    this.options = { maxEntries: options.maxEntries ?? 10_000, ttlMs: options.ttlMs ?? 60_000 };
  }

  get(tokenHash: string, nowMs = Date.now()): Actor | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (nowMs - entry.storedAtMs >= this.options.ttlMs) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    // A Map iterates in insertion order: re-inserting makes this the most recently used.
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, entry);
    return entry.actor;
  }

  set(tokenHash: string, actor: Actor, nowMs = Date.now()): void {
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, { actor, storedAtMs: nowMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(tokenHash: string): void {
    this.entries.delete(tokenHash);
  }

  get size(): number {
    return this.entries.size;
  }
}
