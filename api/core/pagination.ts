import { z } from "zod";
import { validationFailed } from "./errors";

/** `?limit=` (default 50, max 500) and an opaque `?cursor=` for keyset pagination. */
export const pageParams = {
  limit: z.coerce.number({ message: "limit must be a whole number" }).int().min(1).max(500).default(50),
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

export function decodeCursor(cursor: string | undefined, arity: number): string[] | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === arity && key.every((k) => typeof k === "string" || typeof k === "number")) {
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
