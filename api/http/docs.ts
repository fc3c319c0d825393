import path from "node:path";
import express, { Router } from "express";

/**
 * /docs: Swagger UI, served entirely from this app (swagger-ui-dist from npm), because the
 * court's network has no CDN. It renders /openapi.json.
 */
export function docsRouter(): Router {
  const router = Router();
  const assets = path.dirname(require.resolve("swagger-ui-dist/package.json"));
  router.use("/docs/assets", express.static(assets, { index: false, maxAge: "1h" }));
  router.get("/docs", (_req, res) => {
    // Swagger UI styles some elements inline and draws icons as data: images; nothing loads from elsewhere.
    res.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    res.type("html").send(DOCS_PAGE);
  });
  router.get("/docs/init.js", (_req, res) => {
    res.type("application/javascript").send(INIT_SCRIPT);
  });
  return router;
}

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Court enforcement funds tracker — API reference</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  // A pasted token must not outlive the tab (it would sit in localStorage on a shared court PC).
  persistAuthorization: false,
  tryItOutEnabled: false,
  validatorUrl: null
});`;
