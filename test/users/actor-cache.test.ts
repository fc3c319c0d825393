import { ActorCache } from "../../api/users/actor-cache";
import type { Actor } from "../../api/core/actor";

const actor = (id: string): Actor => ({ id, name: id, roles: ["clerk"], courtIds: [], credential: { kind: "api_token", id } });

describe("the process's actor cache (docs/adr/0006)", () => {
  test("holds at most maxEntries, dropping the least recently used first", () => {
    const cache = new ActorCache({ maxEntries: 2, ttlMs: 60_000 });
    cache.set("h1", actor("a"), 0);
    cache.set("h2", actor("b"), 0);
    expect(cache.get("h1", 1)?.id).toBe("a"); // h1 is now the most recently used
    cache.set("h3", actor("c"), 2);
    expect(cache.size).toBe(2);
    expect(cache.get("h2", 3)).toBeUndefined();
    expect(cache.get("h1", 3)?.id).toBe("a");
    expect(cache.get("h3", 3)?.id).toBe("c");
  });

  test("forgets an entry ttlMs after it was looked up, and on delete", () => {
    const cache = new ActorCache({ maxEntries: 10, ttlMs: 60_000 });
    cache.set("h1", actor("a"), 1_000);
    expect(cache.get("h1", 60_999)?.id).toBe("a");
    expect(cache.get("h1", 61_000)).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.set("h2", actor("b"));
    cache.delete("h2");
    expect(cache.get("h2")).toBeUndefined();
  });

  test("defaults: 10,000 entries for 60 seconds", () => {
    const cache = new ActorCache();
    for (let i = 0; i < 10_050; i++) cache.set(`h${i}`, actor(`a${i}`), 0);
    expect(cache.size).toBe(10_000);
    expect(cache.get("h49", 59_999)).toBeUndefined();
    expect(cache.get("h50", 59_999)?.id).toBe("a50");
    expect(cache.get("h50", 60_000)).toBeUndefined();
  });
});
