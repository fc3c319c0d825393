import { Knex } from "knex";

/**
 * Rate limits kept in the database (issue 17): every app process on the database counts the same
 * hits, and a restart forgets nothing. A fixed window per minute and key; old windows are swept.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE rate_limit_hits (
      bucket text NOT NULL CHECK (length(bucket) BETWEEN 1 AND 200),
      window_start timestamptz NOT NULL,
      hits integer NOT NULL CHECK (hits >= 1),
      PRIMARY KEY (bucket, window_start)
    )`);
  await knex.raw(`CREATE INDEX rate_limit_hits_window_idx ON rate_limit_hits (window_start)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE rate_limit_hits`);
}
