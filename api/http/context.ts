import type { Logger } from "pino";
import type { Database } from "../../db/connection";
import type { Config } from "../config";
import type { Actor } from "../core/actor";


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
