import createClient from "openapi-fetch";
import type { components, paths } from "../../../api/generated/openapi";
import { getToken } from "../auth/session";
import { isWorkbenchOpen, requestReauth } from "../auth/reauth";

export type Schemas = components["schemas"];

const SIGN_IN_PATHS = ["/v1/sessions", "/v1/users/me/password"];

function withToken(request: Request): Request {
  const token = getToken();
  const headers = new Headers(request.headers);
  // A request that names its own token (checking a typed-in token at sign-in) keeps it.
  if (token && !headers.has("Authorization")) headers.set("Authorization", `Bearer ${token}`);
  return new Request(request, { headers });
}

async function needsPasswordChange(res: Response): Promise<boolean> {
  if (res.status !== 403) return false;
  try {
    const body = (await res.clone().json()) as { code?: string };
    return body.code === "password_change_required";
  } catch {
    return false;
  }
}

/**
 * Every API call goes through here: adds the bearer token and, when the session has ended (401)
 * or a one-time password must be changed (403 password_change_required), waits for the sign-in
 * dialog and sends the very same request again — same body, same Idempotency-Key.
 */
export async function authedFetch(request: Request): Promise<Response> {
  const spare = request.clone();
  const res = await fetch(withToken(request));
  const path = new URL(request.url).pathname;
  if (SIGN_IN_PATHS.includes(path) || !isWorkbenchOpen()) return res;
  const reason = res.status === 401 ? "expired" : (await needsPasswordChange(res)) ? "password_change" : null;
  if (!reason) return res;
  try {
    await requestReauth(reason);
  } catch {
    return res; // the user closed the dialog: the caller sees the refusal
  }
  spare.headers.delete("Authorization");
  return fetch(withToken(spare));
}

export const api = createClient<paths>({ baseUrl: "", fetch: authedFetch });
