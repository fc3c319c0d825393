import request from "supertest";
import type { Express } from "express";
import { unique, type TestApp } from "../helpers/test-app";

export interface PasswordUser {
  id: string;
  username: string;
  password: string;
}

/** A user made by the admin with a username: it comes with a one-time password. */
export async function userWithPassword(t: TestApp, roles: string[], courtIds: string[], username = unique("u").toLowerCase().slice(0, 30)): Promise<PasswordUser & { initialPassword: string }> {
  const res = await request(t.app).post("/v1/users").set(t.admin.auth).send({ username, name: `用户 ${username}`, roles, courtIds });
  if (res.status !== 201) throw new Error(`user creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, username, password: res.body.initialPassword, initialPassword: res.body.initialPassword };
}

export function signIn(app: Express, username: string, password: string, ip?: string) {
  const req = request(app).post("/v1/sessions");
  if (ip) req.set("X-Forwarded-For", ip);
  return req.send({ username, password });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Signs in with the one-time password and changes it; answers the new password and a working session token. */
export async function activated(t: TestApp, roles: string[], courtIds: string[]): Promise<PasswordUser & { token: string }> {
  const u = await userWithPassword(t, roles, courtIds);
  const first = await signIn(t.app, u.username, u.initialPassword);
  if (first.status !== 201) throw new Error(`first sign-in failed: ${first.status} ${JSON.stringify(first.body)}`);
  const password = `Neue-${unique("pw")}-Geheim`;
  const changed = await request(t.app).post("/v1/users/me/password").set(bearer(first.body.token)).send({ currentPassword: u.initialPassword, newPassword: password });
  if (changed.status !== 204) throw new Error(`password change failed: ${changed.status} ${JSON.stringify(changed.body)}`);
  return { id: u.id, username: u.username, password, token: first.body.token };
}
