import { useCallback, useRef } from "react";

/**
 * A UUID v4 from crypto.getRandomValues: crypto.randomUUID needs Chrome 92 and a secure context,
 * and a court intranet address over plain http is not one.
 */
export function newIdempotencyKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * One Idempotency-Key per submission attempt of a money-moving form. The same body gets the same
 * key — a double click, a retry after a network error, a retry after signing in again all replay
 * the first answer instead of moving the money twice. A changed body (the user corrected the
 * amount after a refusal) is a new attempt and gets a new key; `done()` after success starts over.
 */
export function useIdempotencyKey() {
  const current = useRef<{ key: string; fingerprint: string } | null>(null);
  const keyFor = useCallback((body: unknown): string => {
    const fingerprint = JSON.stringify(body);
    if (!current.current || current.current.fingerprint !== fingerprint) {
      current.current = { key: newIdempotencyKey(), fingerprint };
    }
    return current.current.key;
  }, []);
  const done = useCallback(() => {
    current.current = null;
  }, []);
  return { keyFor, done };
}
