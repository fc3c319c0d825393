import { z } from "zod";
import { ROLES } from "../core/actor";
import type { Schemas } from "../core/schemas";
import { uuid } from "../core/validation";

export const userCreateBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    roles: z
      .array(z.enum(ROLES))
      .min(1)
      .refine((r) => new Set(r).size === r.length, "roles must not repeat"),
    courtIds: z
      .array(uuid)
      .max(1000)
      .refine((c) => new Set(c).size === c.length, "courtIds must not repeat"),
  })
  .strict() satisfies z.ZodType<Schemas["UserCreate"], unknown>;
