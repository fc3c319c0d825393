import { z } from "zod";
import { pageParams } from "../core/pagination";
import type { Schemas } from "../core/schemas";

export const courtCreateBody = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "1 to 32 letters, digits, _ or -"),
    name: z.string().trim().min(1).max(200),
  })
  .strict() satisfies z.ZodType<Schemas["CourtCreate"], unknown>;

export const courtListQuery = z.object({ ...pageParams }).strict();
