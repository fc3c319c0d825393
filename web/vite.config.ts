import path from "node:path";
import react from "@vitejs/plugin-react-swc";
import { defineConfig } from "vite";

// The workbench is served by the API app itself (api/http/web.ts) from web/dist; `npm run dev`
// serves it with hot reload and forwards the API to the app on port 3000 (npm start).
const api = process.env.CEF_API ?? "http://127.0.0.1:3000";

export default defineConfig({
  root: __dirname,
  base: "/",
  plugins: [react()],
  build: {
    outDir: path.join(__dirname, "dist"),
    emptyOutDir: true,
    // Court PCs: Chrome 87 / Edge 88, not Vite's default baseline.
    target: ["chrome87", "edge88"],
    assetsDir: "assets",
    chunkSizeWarningLimit: 1200,
    // No inline script may reach the page (the CSP has no 'unsafe-inline' for scripts).
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // web/dist/.vite/manifest.json: what scripts/web-bundle-size.ts measures (not served: only /assets is).
    manifest: true,
  },
  server: {
    port: 5173,
    proxy: { "/v1": api, "/openapi.json": api, "/docs": api },
  },
});
