import express, { type Express, type RequestHandler } from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import type { Database } from "../db/connection";
import type { Config } from "./config";
import { authenticate } from "./http/auth";
import { authenticateOnce, largeBodyForSignedIn } from "./http/large-bodies";
import { ActorCache } from "./users/actor-cache";
import { metricsGuard } from "./http/metrics-guard";
import { requireJsonBody } from "./http/content-type";
import { contractCheck } from "./http/contract-check";
import { errorHandler, notFoundHandler } from "./http/error-handler";
import { createMetrics } from "./http/metrics";
import { loadOpenApiDocument } from "./http/openapi-document";
import { routerFromContract } from "./http/mount";
import { allOperations } from "./operations";
import { DbRateLimiter } from "./public/db-rate-limiter";
import type { Limiter } from "./public/rate-limiter";
import { httpLogger, requestContext } from "./http/request-context";
import { docsRouter } from "./http/docs";
import { webRouter } from "./http/web";

export interface AppDeps {
  db: Database;
  config: Config;
  logger: Logger;
  /** Check every JSON response against the contract (on in tests). */
  checkResponses?: boolean;
}

export function createApp(deps: AppDeps): Express {
  const doc = loadOpenApiDocument();
  const metrics = createMetrics(deps.db);
  const app = express();
  app.disable("x-powered-by");
  // Whose X-Forwarded-For to believe (TRUST_PROXY): by default no one's, so that a client cannot
  // choose its own address for the rate limits and the sign-in lockout.
  app.set("trust proxy", deps.config.trustProxy);
  app.set("query parser", "simple");

  app.use(securityHeaders());
  app.use(httpLogger(deps.logger));
  app.use(requestContext(deps.db, deps.config));
  app.use(metrics.observe);
  app.use(docsRouter());
  // One actor cache per app (per process): what another process changes reaches it through the
  // re-check every transaction makes (docs/adr/0006-token-cache.md).
  const signIn = authenticate(new ActorCache());
  // Three routes take more than the usual 1 MB, and only from a signed-in user: their bearer token is
  // checked before their body is read, and a request with a body but without a valid token is a 401
  // before a byte of it is parsed (api/http/large-bodies.ts). Every other route reads up to 1 MB
  // first (a 413 before a 401), as before.
  // A bank statement comes as the bank's own file (issue 13): the raw bytes, up to 20 MB.
  app.use("/v1/bank-statements", largeBodyForSignedIn(signIn, express.raw({ limit: "20mb", type: STATEMENT_UPLOAD_TYPES })));
  app.use(requireJsonBody);
  // A 10,000-item payout batch (or its outcomes) is about 1.2 MB of JSON: those paths take up to 4 MB.
  app.use("/v1/payout-batches", largeBodyForSignedIn(signIn, jsonBody("4mb")));
  // A proof pack is about 650 bytes a row: a county court's busy year (tens of thousands of payouts)
  // comes back for verification in up to 32 MB; no other path takes more than its own limit.
  app.use("/v1/reports/disbursements/proof/verify", largeBodyForSignedIn(signIn, jsonBody("32mb")));
  app.use(jsonBody("1mb"));
  app.use(metricsGuard(deps.config.metricsToken));
  app.use(authenticateOnce(signIn));
  if (deps.checkResponses) app.use(contractCheck(doc));
  const operations = allOperations({
    databaseKind: deps.db.kind,
    metrics: { contentType: metrics.registry.contentType, render: () => metrics.registry.metrics() },
    openApiDocument: doc,
    publicRateLimiter: () => publicRateLimiterOf(app, deps),
  });
  app.use(routerFromContract(doc, operations, { knex: deps.db.knex, config: deps.config }));
  app.use(webRouter()); // the workbench (web/dist), after the API so that no API answer changes
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

const jsonBody = (limit: string) => express.json({ limit, strict: true, type: ["application/json", "application/*+json"] });

const STATEMENT_UPLOAD_TYPES = ["text/csv", "application/csv", "text/comma-separated-values", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream", "application/vnd.ms-excel", "text/plain"];

const LIMITER_KEY = "publicRateLimiter";

/**
 * One limiter per app, made on first use from `publicRateLimitPerMinute`; a test (or a server
 * with other needs) installs its own first.
 */
export function installPublicRateLimiter(app: Express, limiter: Limiter): void {
  app.locals[LIMITER_KEY] = limiter;
}

/** By default the count is kept in the database, shared by every process (issue 17). */
function publicRateLimiterOf(app: Express, deps: AppDeps): Limiter {
  const locals = app.locals as Record<string, unknown>;
  if (!locals[LIMITER_KEY]) locals[LIMITER_KEY] = new DbRateLimiter(deps.db.knex, { limit: deps.config.publicRateLimitPerMinute, prefix: "public-lookup" });
  return locals[LIMITER_KEY] as Limiter;
}

/**
 * helmet's headers (nosniff, no framing, no referrer, a CSP that lets an API answer load nothing;
 * the pages — the workbench, /docs, the printable reports — set their own), and HSTS only when the
 * request came over TLS (directly or through a trusted proxy): on plain http it would mean nothing.
 */
function securityHeaders(): RequestHandler {
  const base = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: "same-origin" },
  });
  return (req, res, next) => {
    if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    base(req, res, next);
  };
}
