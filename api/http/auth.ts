import type { Request, RequestHandler } from "express";
import type { Knex } from "knex";
import type { Actor, Role } from "../core/actor";
import { actorOf } from "./context";
import { AppError } from "../core/errors";
import { hashToken } from "../core/tokens";

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/;

/** Resolves the bearer token to a user; public routes simply never call `requireRole`. */
export const authenticate: RequestHandler = async (req, _res, next) => {
  const header = req.headers.authorization;
  if (header === undefined) return next();
  const match = BEARER.exec(header);
  if (!match) return next(new AppError("unauthorized", "The Authorization header must be `Bearer <token>`"));
  try {
    const actor = await findActorByTokenHash(req.ctx.db.knex, hashToken(match[1]));
    if (!actor) return next(new AppError("unauthorized", "The token is not valid"));
    req.ctx.actor = actor;
    req.log = req.log.child({ userId: actor.id });
    next();
  } catch (err) {
    next(err);
  }
};

export async function findActorByTokenHash(knex: Knex, tokenHash: string): Promise<Actor | null> {
  const row = await knex("users as u")
    .leftJoin("user_courts as uc", "uc.user_id", "u.id")
    .where("u.token_hash", tokenHash)
    .groupBy("u.id")
    .first<{ id: string; name: string; roles: Role[]; court_ids: (string | null)[] } | undefined>(
      "u.id",
      "u.name",
      "u.roles",
      knex.raw("array_agg(uc.court_id ORDER BY uc.court_id) AS court_ids"),
    );
  if (!row) return null;
  return { id: row.id, name: row.name, roles: row.roles, courtIds: row.court_ids.filter((c): c is string => c !== null) };
}

/** The caller must be signed in and hold at least one of the roles. */
export function requireRole(req: Request, ...roles: Role[]): Actor {
  const actor = actorOf(req);
  if (!roles.some((r) => actor.roles.includes(r))) {
    throw new AppError("forbidden", `This needs one of the roles: ${roles.join(", ")}`);
  }
  return actor;
}

