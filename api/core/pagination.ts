import { z } from "zod";
import { isValidDate } from "./dates";
import { validationFailed } from "./errors";

/**
 * A whole number in a query or path: digits only (no `0x10`, `1e2`, `+5`, `5.0` or blanks, which a
 * bare Number() would take); an in-process caller may pass a number.
 */
export const wholeNumber = (what: string) =>
  z.union([z.number().int(), z.string().regex(/^(0|[1-9][0-9]{0,8})$/, `${what} must be a whole number written in digits`).transform(Number)]);

/** `?limit=` (default 50, max 500) and an opaque `?cursor=` for keyset pagination. */
export const pageParams = {
  limit: wholeNumber("limit").pipe(z.number().int().min(1).max(500)).default(50),
  cursor: z.string().max(500).optional(),
};

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** A cursor is the sort key of the last row seen, base64url-encoded JSON. */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** What each element of a cursor's sort key must be, so that a forged cursor never reaches SQL as a bad cast. */
export type CursorPart = "uuid" | "timestamp" | "date" | "integer" | "text";

const CURSOR_FORMS: Record<CursorPart, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  // What PostgreSQL's timestamptz::text gives: 2026-12-01 09:23:00.123456+00
  timestamp: /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  integer: /^[0-9]{1,18}$/,
  text: /^[^\u0000]{0,200}$/,
};

function fits(part: CursorPart, value: string): boolean {
  if (!CURSOR_FORMS[part].test(value)) return false;
  return part === "date" || part === "timestamp" ? isValidDate(value.slice(0, 10)) : true;
}

export function decodeCursor(cursor: string | undefined, parts: readonly CursorPart[]): string[] | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === parts.length && key.every((k, i) => (typeof k === "string" || typeof k === "number") && fits(parts[i], String(k)))) {
      return key.map(String);
    }
  } catch {
    // fall through to the refusal below
  }
  throw validationFailed([{ path: "query.cursor", message: "invalid cursor" }], "The cursor is not valid; use nextCursor from a previous page");
}

/** Rows were fetched with `limit + 1`: the extra row only says that there is a next page. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => (string | number)[], map: (row: R) => T): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  return {
    data: pageRows.map(map),
    nextCursor: hasMore ? encodeCursor(keyOf(pageRows[pageRows.length - 1])) : null,
  };
}
