// `npm ci` runs this (the root package's `prepare`): it builds the service into dist/ and the
// workbench into web/dist, so that `npm ci && npm start` serves both. With `npm ci --omit=dev` (the runtime image) vite is absent:
// skip quietly; the image copies a web/dist built in its check stage.
const { spawnSync } = require("node:child_process");
const path = require("node:path");

try {
  require.resolve("vite/package.json");
} catch {
  process.stdout.write("prepare: vite is not installed (production install); not building the workbench\n");
  process.exit(0);
}
require("./build-api").buildApi({ force: true });
const vite = path.join(path.dirname(require.resolve("vite/package.json")), "bin", "vite.js");
const run = spawnSync(process.execPath, [vite, "build", "--config", path.join(__dirname, "..", "web", "vite.config.ts")], { stdio: "inherit" });
process.exit(run.status ?? 1);
