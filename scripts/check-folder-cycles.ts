/**
 * No import cycles between folders of api/ (issue 9): reads every import of api/, db/ and
 * scripts/, draws the graph of folders, and fails naming the first cycle it finds.
 *
 *   npx tsx scripts/check-folder-cycles.ts
 */
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const IMPORT = /(?:from|import|require)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" || e.name === "node_modules" ? [] : files(p);
    return /\.ts$/.test(e.name) ? [p] : [];
  });
}

/** api/cases/x.ts → "api/cases"; api/config.ts → "api/config" (a module of its own); db/migrations/x.ts → "db". */
function folderOf(file: string): string {
  const rel = path.relative(ROOT, file).split(path.sep);
  if (rel[0] === "api") return rel.length > 2 ? `api/${rel[1]}` : `api/${rel[1].replace(/\.ts$/, "")}`;
  if (rel[0] === "scripts" && rel.length > 2) return `scripts/${rel[1]}`;
  return rel[0];
}

const graph = new Map<string, Set<string>>();
for (const top of ["api", "db", "scripts"]) {
  for (const file of files(path.join(ROOT, top))) {
    const from = folderOf(file);
    for (const m of fs.readFileSync(file, "utf8").matchAll(IMPORT)) {
      const to = folderOf(path.resolve(path.dirname(file), m[1]));
      if (to === from || to === "api/generated") continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
}

const state = new Map<string, "visiting" | "done">();
function visit(node: string, trail: string[]): string[] | null {
  if (state.get(node) === "done") return null;
  if (state.get(node) === "visiting") return [...trail.slice(trail.indexOf(node)), node];
  state.set(node, "visiting");
  for (const next of graph.get(node) ?? []) {
    const cycle = visit(next, [...trail, node]);
    if (cycle) return cycle;
  }
  state.set(node, "done");
  return null;
}

for (const node of graph.keys()) {
  const cycle = visit(node, []);
  if (cycle) {
    console.error(`import cycle between folders: ${cycle.join(" → ")}`);
    process.exit(1);
  }
}
console.log(`no import cycles between ${graph.size} folders`);
