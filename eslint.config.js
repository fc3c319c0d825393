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
  {
    // Tests say out loud why they skip (e.g. a race test without PostgreSQL); benchmarks print figures.
    files: ["test/**/*.ts", "scripts/**/*.ts"],
    rules: { "no-console": "off" },
  },
);
