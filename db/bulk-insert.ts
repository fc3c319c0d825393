import type { Knex } from "knex";

/**
 * Many rows in one INSERT with one bind value per column: `INSERT … SELECT * FROM unnest($1::uuid[],
 * $2::numeric[], …)`. knex's multi-row insert binds every cell (20,000 parameters for 2,000 rows of
 * ten columns), and building and sending those costs more than the insert itself; a statement
 * import of 10,000 lines spent most of its time there. Values are strings (money as toFixed(2)
 * strings, never JS numbers), booleans, numbers (integers), string arrays, or null.
 */
export type PgType = "uuid" | "text" | "numeric" | "date" | "integer" | "smallint" | "bigint" | "uuid[]";

export type Cell = string | number | boolean | null | readonly string[];

export async function bulkInsert<R = unknown>(
  tx: Knex.Transaction,
  table: string,
  columns: readonly (readonly [name: string, type: PgType])[],
  rows: readonly Record<string, Cell>[],
  returning?: readonly string[],
): Promise<R[]> {
  if (rows.length === 0) return [];
  const bindings = columns.map(([name, type]) => arrayLiteral(rows.map((r) => r[name] ?? null), type));
  const unnest = columns.map(([, type]) => (type === "uuid[]" ? "?::text[]" : `?::${type}[]`)).join(", ");
  const select = columns.map(([, type], i) => (type === "uuid[]" ? `CASE WHEN c${i} IS NULL THEN NULL ELSE c${i}::uuid[] END` : `c${i}`)).join(", ");
  const names = columns.map(([name]) => `"${name}"`).join(", ");
  const aliases = columns.map((_, i) => `c${i}`).join(", ");
  const ret = returning && returning.length ? ` RETURNING ${returning.map((c) => (c === "*" ? "*" : `"${c}"`)).join(", ")}` : "";
  const { rows: out } = await tx.raw<{ rows: R[] }>(`INSERT INTO "${table}" (${names}) SELECT ${select} FROM unnest(${unnest}) AS t(${aliases})${ret}`, bindings);
  return out;
}

/** A PostgreSQL array literal: every element quoted, `"` and `\` escaped, NULL unquoted. */
function arrayLiteral(values: Cell[], type: PgType): string {
  return `{${values.map((v) => element(v, type)).join(",")}}`;
}

function element(v: Cell, type: PgType): string {
  if (v === null || v === undefined) return "NULL";
  if (Array.isArray(v)) {
    if (type !== "uuid[]") throw new TypeError("an array cell needs a uuid[] column");
    return quote(`{${v.map((x) => quote(x)).join(",")}}`); // a nested array travels as its text
  }
  return quote(String(v));
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
