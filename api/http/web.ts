import fs from "node:fs";
import path from "node:path";
import express, { Router, type Request } from "express";
import { projectFile } from "../core/project-files";

/**
 * Serves the workbench (web/dist, built by `npm run build:web` or `npm ci`'s prepare) from the same
 * app. Mounted after the contract router, so every API path answers exactly as before; a path it
 * does not know falls through to the JSON 404.
 *
 * - `/assets/*`: hashed file names, so cached for a year and never revalidated.
 * - The page (index.html) only for a GET/HEAD whose Accept explicitly names text/html — a browser
 *   navigating to `/` or `/cases/…` — never for API clients (curl sends `*\/*`, fetch no Accept),
 *   and never under the API's own prefixes. `no-cache`, so a new build is picked up at once.
 */
const API_PREFIXES = ["/v1", "/docs", "/metrics", "/openapi.json", "/healthz", "/readyz", "/assets"];

/**
 * The page's Content-Security-Policy: no inline script and nothing from elsewhere. styles need
 * 'unsafe-inline' because antd's CSS-in-JS writes <style> elements at run time; blob:/data: images
 * for the chart and downloads. The printable report is shown in a srcdoc iframe, which inherits
 * this policy (so it can run no script either).
 */
export const WORKBENCH_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

export const DEFAULT_WEB_DIST = projectFile("web", "dist");

function wantsPage(req: Request): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (!/\btext\/html\b/i.test(req.headers.accept ?? "")) return false;
  return !API_PREFIXES.some((p) => req.path === p || req.path.startsWith(`${p}/`) || (p === "/openapi.json" && req.path.startsWith(p)));
}

export function webRouter(distDir: string = DEFAULT_WEB_DIST): Router {
  const router = Router();
  const indexFile = path.join(distDir, "index.html");
  // No build (e.g. an API-only install): the app serves the API alone, and / is the JSON 404 it always was.
  if (!fs.existsSync(indexFile)) return router;

  router.use(
    "/assets",
    express.static(path.join(distDir, "assets"), {
      index: false,
      fallthrough: true,
      redirect: false,
      setHeaders: (res) => res.setHeader("Cache-Control", "public, max-age=31536000, immutable"),
    }),
  );
  router.use((req, res, next) => {
    if (!wantsPage(req)) return next();
    res.setHeader("Content-Security-Policy", WORKBENCH_CSP);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.sendFile(indexFile, { cacheControl: false, headers: { "Cache-Control": "no-cache", "Content-Type": "text/html; charset=utf-8" } }, (err) => {
      if (err) next(err);
    });
  });
  return router;
}
