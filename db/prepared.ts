import type { Knex } from "knex";
import { runTogether } from "./transaction";

/** A statement with `?` bindings (strings, numbers, booleans or null). */
export interface Statement {
  sql: string;
  bindings: readonly unknown[];
}

/**
 * Statements that need nothing from one another's answers, in one message on PostgreSQL (one round
 * trip, each planned once per connection as a transaction's BEGIN and COMMIT statements are:
 * db/transaction.ts), one after the other elsewhere: each one's rows, in order. A failure fails
 * the transaction, as any statement's does.
 */
export function together(tx: Knex.Transaction, statements: readonly Statement[]): Promise<Record<string, unknown>[][]> {
  return runTogether(tx, statements);
}
