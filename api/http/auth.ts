import type { RequestHandler } from "express";
import { todayInChina } from "../core/dates";
import { AppError } from "../core/errors";
import { hashToken } from "../core/tokens";
import type { ActorCache } from "../users/actor-cache";
import { actorForTokenHash } from "../users/users-service";

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/;

/**
 * Resolves the bearer token to a user; whether an operation needs one is the runner's business.
 * A token seen in the last minute is answered from the process's cache without a statement; the
 * runner has every transaction re-check it and asks afresh through `signedIn.refresh` when the
 * credential changed (docs/adr/0006-token-cache.md).
 */
export function authenticate(cache: ActorCache): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) return next();
    const match = BEARER.exec(header);
    if (!match) return next(new AppError("unauthorized", "The Authorization header must be `Bearer <token>`"));
    const tokenHash = hashToken(match[1]);
    const { knex } = req.ctx.db;
    const { idleMinutes } = req.ctx.config.session;
    const refresh = async () => {
      cache.delete(tokenHash);
      const found = await actorForTokenHash(knex, tokenHash, { idleMinutes, today: todayInChina() });
      if (found) cache.set(tokenHash, found);
      return found;
    };
    try {
      const cached = cache.get(tokenHash);
      const actor = cached ?? (await refresh());
      if (!actor) return next(new AppError("unauthorized", "The token is not valid: it is unknown, expired, revoked or signed out, or its user is deactivated"));
      req.ctx.actor = actor;
      req.ctx.signedIn = { cached: cached !== undefined, refresh };
      req.log = req.log.child({ userId: actor.id });
      next();
    } catch (err) {
      next(err);
    }
  };
}
