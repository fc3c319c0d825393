// @ts-check
const tseslint = require("typescript-eslint");

module.exports = tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "web/dist/**", "api/generated/**", "coverage/**", ".data/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-require-imports": "off",
      "no-console": "error",
    },
  },
  // Layering (docs/ARCHITECTURE.md): the kernel and db/ know no feature; features know no HTTP,
  // no runner and no other feature's store or operations; http/ reaches features only through
  // their services. CI runs these with the rest of the lint.
  {
    files: ["api/core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^\\.\\./(?!generated/|config$)", message: "core/ imports no feature, HTTP or runner code" }, { group: ["express"], message: "core/ is not HTTP" }] }],
    },
  },
  {
    files: ["db/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["../api/*", "../../api/*", "../../../api/*", "../scripts/*", "../../scripts/*"], message: "db/ holds connection, migrations and the transaction helper: it imports no feature" }] }],
    },
  },
  {
    files: ["api/*/**/*.ts"],
    ignores: ["api/core/**", "api/http/**", "api/runner/**", "api/generated/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["../*/*-store", "../*/*.operations"], message: "a feature does not import another feature's store or operations: use its service" },
            { group: ["../http/*", "express"], message: "below the runner there is no HTTP: operations and services never see req or res" },
            { group: ["../runner/*"], message: "features declare operations; only the runner runs them" },
            { group: ["../../db/transaction"], message: "the runner owns the transaction: services receive it in ctx.db" },
          ],
        },
      ],
    },
  },
  {
    files: ["api/http/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["../*/*-store"], message: "http/ imports no store" }, { group: ["../../db/transaction"], message: "http/ opens no transaction: the runner does" }] }],
    },
  },
  {
    // Tests say out loud why they skip (e.g. a race test without PostgreSQL); benchmarks print figures.
    files: ["test/**/*.ts", "scripts/**/*.ts"],
    rules: { "no-console": "off" },
  },
);
