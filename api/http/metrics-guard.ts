import crypto from "node:crypto";
import type { RequestHandler } from "express";
import { AppError } from "../core/errors";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * /metrics shows versions and per-route traffic: with METRICS_TOKEN it needs that bearer token
 * (compared in constant time); without, it answers only requests from this host (a Prometheus
 * scraping over loopback, or a sidecar). Anyone else gets the same 404 as an unknown path.
 */
export function metricsGuard(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (req.path !== "/metrics") return next();
    if (token) {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
      const a = crypto.createHash("sha256").update(given).digest();
      const b = crypto.createHash("sha256").update(token).digest();
      if (!crypto.timingSafeEqual(a, b)) return next(new AppError("not_found", `No such endpoint: ${req.method} ${req.path}`));
      delete req.headers.authorization; // not a user's token: keep it away from the sign-in lookup
      return next();
    }
    if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) return next(new AppError("not_found", `No such endpoint: ${req.method} ${req.path}`));
    next();
  };
}
