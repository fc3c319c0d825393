export const ROLES = ["admin", "clerk", "finance", "approver", "list_officer", "inspector"] as const;
export type Role = (typeof ROLES)[number];

/** How the caller proved who they are: a sign-in session or an API token for another system. */
export interface Credential {
  kind: "session" | "api_token";
  id: string;
}

/** Who is acting: a signed-in user with roles and the courts they belong to. */
export interface Actor {
  id: string;
  name: string;
  roles: Role[];
  courtIds: string[];
  /** Absent for work the system does itself (the demo seed, a test's set-up). */
  credential?: Credential;
  /** A one-time password not yet changed: nothing but the change (and signing out) is allowed. */
  mustChangePassword?: boolean;
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}
