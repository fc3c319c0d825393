// The service's build (issue 16): api/ and db/ compiled by tsc into dist/, which `npm start` and the
// image run with plain node. Running the TypeScript through tsx instead costs the process about
// 35 MB of resident memory (tsx's loader) before any request: docs/benchmarks.md.
//
//   node scripts/build-api.js          build if any source is newer than the build
//   node scripts/build-api.js --force  build anyway
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const ENTRY = path.join(ROOT, "dist", "api", "server.js");
const SOURCES = ["api", "db", "scripts/demo", "tsconfig.json", "tsconfig.build.json", "package-lock.json"];

function newestSource() {
  let newest = 0;
  const walk = (p) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    else if (/\.(ts|json)$/.test(p)) newest = Math.max(newest, st.mtimeMs);
  };
  for (const s of SOURCES) if (fs.existsSync(path.join(ROOT, s))) walk(path.join(ROOT, s));
  return newest;
}

/** True when dist/ is missing or older than a source file. */
function apiBuildIsStale() {
  return !fs.existsSync(ENTRY) || fs.statSync(ENTRY).mtimeMs < newestSource();
}

function buildApi({ force = false } = {}) {
  if (!force && !apiBuildIsStale()) return;
  let tsc;
  try {
    tsc = require.resolve("typescript/bin/tsc");
  } catch {
    throw new Error("dist/ is missing or out of date, and typescript is not installed here to build it (npm ci, then npm run build:api)");
  }
  process.stderr.write("build: compiling api/ and db/ into dist/ (tsc -p tsconfig.build.json)\n");
  fs.rmSync(path.join(ROOT, "dist"), { recursive: true, force: true });
  const run = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json")], { stdio: "inherit", cwd: ROOT });
  if (run.status !== 0) throw new Error(`tsc failed (exit ${run.status})`);
  // tsc leaves an unchanged output's time alone: mark the build as newer than every source.
  const now = new Date();
  fs.utimesSync(ENTRY, now, now);
}

/**
 * The node flags the service runs with (npm start, the image's CMD, the server-process tests, the
 * benchmarks). `--optimize-for-size`: V8 keeps a smaller young generation and grows the heap more
 * slowly. Measured with the build (docs/benchmarks.md): idle 88 MB instead of 135 MB, a million-row
 * CSV export at a peak of 109 MB instead of 206 MB and the XLSX at 116 MB instead of 217 MB, for
 * about 5% fewer receipts per second and exports about 30% slower.
 */
const SERVER_NODE_FLAGS = ["--optimize-for-size"];

module.exports = { buildApi, apiBuildIsStale, ENTRY, SERVER_NODE_FLAGS };

if (require.main === module) {
  try {
    buildApi({ force: process.argv.includes("--force") });
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
