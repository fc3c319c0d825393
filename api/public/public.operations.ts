import { z } from "zod";
import { AppError } from "../core/errors";
import { operation, type FeatureOperations } from "../core/operation";
import { searchDishonestDebtors } from "./public-service";
import type { Limiter } from "./rate-limiter";

const publicSearchQuery = z
  .object({
    name: z
      .string()
      .trim()
      .max(100)
      .refine((n) => [...n].length >= 2, "at least 2 characters"),
  })
  .strict();

/** The public lookup, rate-limited per client address by the limiter the app holds. */
export function publicOperations(deps: { limiter: () => Limiter }) {
  return {
    searchDishonestDebtors: operation({
      roles: "public",
      writes: "none",
      query: publicSearchQuery,
      run: async (ctx, { query }) => {
        const decision = await deps.limiter().take(ctx.client.ip);
        if (!decision.allowed) {
          throw new AppError("rate_limited", `Too many lookups from your address: try again in ${decision.retryAfterSeconds} s`, {
            retryAfterSeconds: decision.retryAfterSeconds,
          });
        }
        return searchDishonestDebtors(ctx.db, { name: query.name, today: ctx.today });
      },
    }),
  } satisfies FeatureOperations<"searchDishonestDebtors">;
}
