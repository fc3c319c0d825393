/**
 * Measures the workbench's JavaScript from web/dist (run `npm run build:web` first): the initial
 * JS (the entry and every chunk it imports statically, which the browser loads before anything
 * shows), and what each first screen adds (sign-in page; shell + a role's home page), gzipped.
 *
 *   npx tsx scripts/web-bundle-size.ts
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

type Chunk = { file: string; src?: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] };
const dist = path.join(__dirname, "..", "web", "dist");
const manifest = JSON.parse(fs.readFileSync(path.join(dist, ".vite", "manifest.json"), "utf8")) as Record<string, Chunk>;

const gz = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
function closure(keys: string[], seen = new Set<string>()): Set<string> {
  for (const k of keys) {
    if (seen.has(k)) continue;
    seen.add(k);
    closure(manifest[k].imports ?? [], seen);
  }
  return seen;
}
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const size = (keys: Set<string>) => [...keys].reduce((sum, k) => sum + gz(manifest[k].file), 0);

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry)!;
const initial = closure([entry]);
const byName = (name: string) => Object.keys(manifest).find((k) => k.endsWith(`/${name}.tsx`) || k.endsWith(`${name}.tsx`))!;
const rows: [string, number][] = [["initial JS (entry + static imports)", size(initial)]];
rows.push(["+ sign-in page (first visit)", size(closure([byName("SignInPage")], new Set(initial)))  - size(initial)]);
const shell = closure([entry, byName("Workbench")]);
rows.push(["+ workbench shell (signed in)", size(shell) - size(initial)]);
for (const [role, page] of [["clerk", "CasesPage"], ["finance", "BatchesPage"], ["approver", "ApprovalsPage"], ["list officer", "ListingsPage"], ["inspector", "DisbursementsPage"], ["admin", "UsersPage"], ["case page", "CasePage"]]) {
  const all = closure([entry, byName("Workbench"), byName(page)]);
  rows.push([`first screen, ${role} (${page}): total`, size(all)]);
}
for (const [label, n] of rows) process.stdout.write(`${label.padEnd(48)} ${kb(n).padStart(10)}\n`);
const largest = Object.values(manifest)
  .filter((c) => c.file.endsWith(".js"))
  .map((c) => [c.file, gz(c.file)] as const)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 6);
process.stdout.write("\nlargest chunks (gzip):\n");
for (const [f, n] of largest) process.stdout.write(`  ${f.padEnd(44)} ${kb(n).padStart(10)}\n`);
