import { z } from "zod";
import { ROLES } from "../core/actor";
import { businessDate } from "../core/dates";
import { pageParams } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { uuid } from "../core/validation";

const roles = z
  .array(z.enum(ROLES))
  .min(1)
  .refine((r) => new Set(r).size === r.length, "roles must not repeat");
const courtIds = z
  .array(uuid)
  .max(1000)
  .refine((c) => new Set(c).size === c.length, "courtIds must not repeat");

/** Usernames are compared without case and stored in lower case. */
export const username = z
  .string()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9._-]+$/, "3 to 32 of a-z 0-9 . _ -")
  .transform((u) => u.toLowerCase());

export const userCreateBody = z
  .object({ username: username.optional(), name: z.string().trim().min(1).max(200), roles, courtIds })
  .strict() satisfies z.ZodType<Schemas["UserCreate"], unknown>;
export type UserCreateInput = z.output<typeof userCreateBody>;

export const userUpdateBody = z
  .object({ name: z.string().trim().min(1).max(200).optional(), roles: roles.optional(), courtIds: courtIds.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "send at least one of name, roles, courtIds" });
export type UserUpdateInput = z.output<typeof userUpdateBody>;

export const userListQuery = z
  .object({
    courtId: uuid.optional(),
    role: z.enum(ROLES).optional(),
    active: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
    ...pageParams,
  })
  .strict();
export type UserListQuery = z.output<typeof userListQuery>;

const password = z.string().min(1).max(1024);

export const sessionCreateBody = z.object({ username: z.string().min(3).max(32).regex(/^[A-Za-z0-9._-]+$/, "3 to 32 of a-z 0-9 . _ -"), password }).strict();
export const passwordChangeBody = z.object({ currentPassword: password, newPassword: password }).strict();

export const apiTokenCreateBody = z.object({ userId: uuid, name: z.string().trim().min(1).max(100), expiresOn: businessDate }).strict();
export type ApiTokenCreateInput = z.output<typeof apiTokenCreateBody>;
export const apiTokenListQuery = z.object({ userId: uuid.optional(), ...pageParams }).strict();
