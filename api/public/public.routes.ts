import type { Application, Request } from "express";
import { z } from "zod";
import { todayInChina } from "../core/dates";
import { AppError } from "../core/errors";
import type { FeatureHandlers } from "../http/operations";
import { parseQuery } from "../http/validate";
import { searchDishonestDebtors } from "./public-service";
import { RateLimiter } from "./rate-limiter";

const publicSearchQuery = z
  .object({
    name: z
      .string()
      .trim()
      .max(100)
      .refine((n) => [...n].length >= 2, "at least 2 characters"),
  })
  .strict();

const LIMITER_KEY = "publicRateLimiter";

/**
 * One limiter per app, made on first use from `publicRateLimitPerMinute`; a test (or a server
 * with other needs) installs its own first.
 */
export function installPublicRateLimiter(app: Application, limiter: RateLimiter): void {
  app.locals[LIMITER_KEY] = limiter;
}

function limiterOf(req: Request): RateLimiter {
  const locals = req.app.locals as Record<string, unknown>;
  if (!(locals[LIMITER_KEY] instanceof RateLimiter)) {
    locals[LIMITER_KEY] = new RateLimiter({ limit: req.ctx.config.publicRateLimitPerMinute, windowMs: 60_000 });
  }
  return locals[LIMITER_KEY] as RateLimiter;
}

export const publicHandlers: FeatureHandlers<"searchDishonestDebtors"> = {
  async searchDishonestDebtors(req, res) {
    // The client address as Express derives it under the app's `trust proxy` setting.
    const decision = limiterOf(req).take(req.ip ?? req.socket.remoteAddress ?? "unknown");
    if (!decision.allowed) {
      throw new AppError("rate_limited", `Too many lookups from your address: try again in ${decision.retryAfterSeconds} s`, {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
    const { name } = parseQuery(req, publicSearchQuery);
    res.setHeader("Cache-Control", "no-store");
    res.json(await searchDishonestDebtors(req.ctx.db.knex, { name, today: todayInChina() }));
  },
};
