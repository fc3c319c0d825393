import type { Logger } from "pino";
import type { Database } from "../../db/connection";
import type { Config } from "../config";
import type { Actor } from "../core/actor";
import type { SignedIn } from "../runner/credential";

/** What every request carries below the HTTP layer: who, which request, which database. */
export interface RequestContext {
  requestId: string;
  actor: Actor | null;
  /** Set with `actor` when a bearer token named it: from the cache or not, and how to ask afresh. */
  signedIn?: SignedIn;
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
