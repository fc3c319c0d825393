import { useSyncExternalStore } from "react";

/**
 * When a call answers 401 (the session ended) or 403 password_change_required while the
 * workbench is open, the request waits here: a sign-in dialog opens over the current page — so
 * whatever was typed into an open form stays — and the request is sent again once the same user
 * has signed in. Concurrent refusals share one dialog.
 */
export type ReauthReason = "expired" | "password_change";

interface Pending {
  reason: ReauthReason;
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: Error) => void;
}

let pending: Pending | null = null;
let workbenchOpen = false;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

/** The workbench is showing (a user is signed in): refusals then open the dialog instead of failing. */
export function setWorkbenchOpen(open: boolean): void {
  workbenchOpen = open;
}

export function isWorkbenchOpen(): boolean {
  return workbenchOpen;
}

export function requestReauth(reason: ReauthReason): Promise<void> {
  if (pending) {
    if (reason === "password_change" && pending.reason !== reason) {
      pending.reason = reason;
      notify();
    }
    return pending.promise;
  }
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  pending = { reason, promise, resolve, reject };
  notify();
  return promise;
}

export function finishReauth(ok: boolean): void {
  const p = pending;
  pending = null;
  notify();
  if (!p) return;
  if (ok) p.resolve();
  else p.reject(new Error("sign-in cancelled"));
}

export function useReauth(): ReauthReason | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => pending?.reason ?? null,
  );
}
