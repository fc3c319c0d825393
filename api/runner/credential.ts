import type { Knex } from "knex";
import type { ScopeCheck } from "../../db/transaction";
import type { Actor } from "../core/actor";
import { todayInChina } from "../core/dates";
import { AppError } from "../core/errors";
import { credentialCheck, touchCredential } from "../users/users-service";

/** How a bearer token named the request's actor (api/http/auth.ts). */
export interface SignedIn {
  /** From this process's actor cache: the database has not confirmed it for this request yet. */
  cached: boolean;
  /** Forget the cached actor and resolve the token in the database: the actor now, or null. */
  refresh(): Promise<Actor | null>;
}

/** The scope statement found the credential no longer valid for this actor (docs/adr/0006). */
export class StaleCredential extends Error {
  constructor() {
    super("the caller's credential is no longer valid for the actor it was resolved to");
    this.name = "StaleCredential";
  }
}

/** The 401 of a token that names no one (the same words as api/http/auth.ts). */
export function invalidToken(): AppError {
  return new AppError("unauthorized", "The token is not valid: it is unknown, expired, revoked or signed out, or its user is deactivated");
}

/** What one run learns about its caller's credential from the scope statement. */
export interface CredentialWatch {
  /** The columns the scope statement adds, null for a caller without a credential (the system's own work). */
  readonly check: ScopeCheck | null;
  /** A scope statement said the credential is still valid for this actor. */
  readonly confirmed: boolean;
  /** …and that its last use is a minute old. */
  readonly touchDue: boolean;
  touch(knex: Knex): Promise<void>;
}

export function credentialWatch(actor: Actor | null, opts: { idleMinutes: number }): CredentialWatch {
  const credential = actor?.credential;
  const watch = {
    check: null as ScopeCheck | null,
    confirmed: false,
    touchDue: false,
    async touch(knex: Knex) {
      if (credential) await touchCredential(knex, credential, opts);
      watch.touchDue = false;
    },
  };
  if (!actor || !credential) return watch;
  // The real date, not the request's `now` (a script may replay history): token expiry is today's business.
  const { columns, bindings } = credentialCheck({ ...actor, credential }, { idleMinutes: opts.idleMinutes, today: todayInChina() });
  watch.check = {
    columns,
    bindings,
    verify(row) {
      if (row.still_valid !== true) throw new StaleCredential();
      watch.confirmed = true;
      watch.touchDue = watch.touchDue || row.touch_due === true;
    },
  };
  return watch;
}

/** The same person with the same powers: a refusal computed from the cached actor stands. */
export function sameActor(a: Actor, b: Actor | null): boolean {
  if (!b) return false;
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.credential?.kind === b.credential?.kind &&
    a.credential?.id === b.credential?.id &&
    Boolean(a.mustChangePassword) === Boolean(b.mustChangePassword) &&
    same(a.roles, b.roles) &&
    same(a.courtIds, b.courtIds)
  );
}
