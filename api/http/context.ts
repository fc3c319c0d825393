import type { Request } from "express";
import type { Logger } from "pino";
import type { Database } from "../../db/connection";
import type { Config } from "../config";
import type { Actor } from "../core/actor";
import { AppError } from "../core/errors";


/** What every request carries below the HTTP layer: who, which request, which database. */
export interface RequestContext {
  requestId: string;
  actor: Actor | null;
  db: Database;
  config: Config;
  log: Logger;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      ctx: RequestContext;
    }
  }
}

export function actorOf(req: Request): Actor {
  if (!req.ctx.actor) throw new AppError("unauthorized", "A bearer token is required");
  return req.ctx.actor;
}
