import type { RequestHandler } from "express";
import { todayInChina } from "../core/dates";
import { AppError } from "../core/errors";
import { actorForToken } from "../users/users-service";

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/;

/** Resolves the bearer token to a user; whether an operation needs one is the runner's business. */
export const authenticate: RequestHandler = async (req, _res, next) => {
  const header = req.headers.authorization;
  if (header === undefined) return next();
  const match = BEARER.exec(header);
  if (!match) return next(new AppError("unauthorized", "The Authorization header must be `Bearer <token>`"));
  try {
    const actor = await actorForToken(req.ctx.db.knex, match[1], { idleMinutes: req.ctx.config.session.idleMinutes, today: todayInChina() });
    if (!actor) return next(new AppError("unauthorized", "The token is not valid: it is unknown, expired, revoked or signed out, or its user is deactivated"));
    req.ctx.actor = actor;
    req.log = req.log.child({ userId: actor.id });
    next();
  } catch (err) {
    next(err);
  }
};
