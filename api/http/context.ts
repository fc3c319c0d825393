import type { Request } from "express";
import type { Logger } from "pino";
import type { Database } from "../../db/connection";
import type { Config } from "../config";
import { AppError } from "./errors";

export const ROLES = ["admin", "clerk", "finance", "approver", "list_officer", "inspector"] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  id: string;
  name: string;
  roles: Role[];
  courtIds: string[];
}

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
