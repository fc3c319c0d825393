import type { Knex } from "knex";

/**
 * The mark of a signed-in user's read handle (db/transaction.ts, `scopedReadHandle`, which uses
 * the same registered symbol): what it runs in, and every transaction it opens, is already a
 * read-only snapshot under the user's court scope, so a report's own `SET TRANSACTION …` there
 * would come too late and is left out.
 */
const READ_SNAPSHOT = Symbol.for("court-funds.read-snapshot");

export function isReadSnapshot(knex: Knex): boolean {
  return (knex as unknown as Record<symbol, unknown>)[READ_SNAPSHOT] === true;
}
