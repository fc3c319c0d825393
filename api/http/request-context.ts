import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import pinoHttp from "pino-http";
import { safeError } from "../logger";
import type { Logger } from "pino";
import type { Database } from "../../db/connection";
import type { Config } from "../config";

const REQUEST_ID_FORM = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honour a sane incoming X-Request-Id, otherwise make one; either way echo it back. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers["x-request-id"];
  const id = typeof incoming === "string" && REQUEST_ID_FORM.test(incoming) ? incoming : crypto.randomUUID();
  res.setHeader("X-Request-Id", id);
  return id;
}

export function httpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: requestId,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "info" : "info"),
    customSuccessMessage: (req, res) => `${req.method} ${loggableUrl(req.url ?? "")} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${loggableUrl(req.url ?? "")} ${res.statusCode}`,
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: loggableUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      // pino-http brings its own error serializer: use the one that withholds bound values.
      err: safeError,
    },
  });
}

/** Query parameters whose values are safe to log; any other value (a name, an id number, a token someone put in the URL) is withheld. */
const LOGGABLE_QUERY = new Set([
  "limit", "courtId", "caseId", "userId", "status", "role", "active", "from", "to", "asOf", "format", "layout", "source",
  "expiringWithinDays", "removalDue", "removalOverdue", "createdFrom", "createdTo", "entityType", "entityId", "actorId", "inspectionId", "mappingId",
]);

export function loggableUrl(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const shown = [...params.entries()].map(([k, v]) => `${encodeURIComponent(k)}=${LOGGABLE_QUERY.has(k) ? encodeURIComponent(v) : "…"}`);
  return `${url.slice(0, q)}?${shown.join("&")}`;
}

export function requestContext(db: Database, config: Config): RequestHandler {
  return (req, _res, next) => {
    req.ctx = { requestId: String(req.id), actor: null, db, config, log: req.log };
    next();
  };
}
