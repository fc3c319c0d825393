export const ROLES = ["admin", "clerk", "finance", "approver", "list_officer", "inspector"] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: a signed-in user with roles and the courts they belong to. */
export interface Actor {
  id: string;
  name: string;
  roles: Role[];
  courtIds: string[];
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}
