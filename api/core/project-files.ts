import fs from "node:fs";
import path from "node:path";

/**
 * The project's root (the directory of package.json), whether this code runs from its source (tsx,
 * the tests) or from the build in dist/ (`npm start`): the contract, the data files and the built
 * workbench are read from there, not from next to the compiled file.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(__dirname);

export const projectFile = (...parts: string[]) => path.join(PROJECT_ROOT, ...parts);
