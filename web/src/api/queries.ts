import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import { unwrap } from "./errors";

export function useMe(enabled = true) {
  return useQuery({
    queryKey: ["me"],
    queryFn: async () => unwrap(await api.GET("/v1/users/me")),
    enabled,
    staleTime: 60_000,
    retry: false,
  });
}

/** The courts the user belongs to (all for an admin); a county has a handful, one page is plenty. */
export function useCourts() {
  return useQuery({
    queryKey: ["courts"],
    queryFn: async () => unwrap(await api.GET("/v1/courts", { params: { query: { limit: 500 } } })).data,
    staleTime: 5 * 60_000,
  });
}

export function courtName(courts: Schemas["Court"][] | undefined, id: string | null | undefined): string {
  if (!id) return "—";
  const c = courts?.find((x) => x.id === id);
  return c ? `${c.name}（${c.code}）` : id.slice(0, 8);
}

export function hasRole(me: Schemas["User"] | undefined, ...roles: Schemas["Role"][]): boolean {
  return !!me && roles.some((r) => me.roles.includes(r));
}
