import { useSyncExternalStore } from "react";

/**
 * The bearer token lives in memory and in sessionStorage (this tab only, gone when it closes);
 * never in localStorage, where every later visitor of the PC would find it.
 */
const KEY = "cef.session";

export interface StoredSession {
  token: string;
  /** "password": a session from POST /v1/sessions, ended with DELETE on sign-out; "token": an API token. */
  kind: "password" | "token";
  userId?: string;
}

function read(): StoredSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as StoredSession) : null;
  } catch {
    return null;
  }
}

let current: StoredSession | null = read();
const listeners = new Set<() => void>();

export function getSession(): StoredSession | null {
  return current;
}

export function getToken(): string | null {
  return current?.token ?? null;
}

export function setSession(s: StoredSession | null): void {
  current = s;
  try {
    if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
    else sessionStorage.removeItem(KEY);
  } catch {
    // private mode without storage: memory only
  }
  listeners.forEach((l) => l());
}

export function useSession(): StoredSession | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
