import { Knex } from "knex";

/**
 * The row-level-security policies' court list, `app_court_ids()`, in PL/pgSQL instead of SQL
 * (issue 16, docs/benchmarks.md). Same body, same answer. A SQL function with a sub-select is
 * never inlined, and PostgreSQL parses and plans its body afresh in every statement that calls
 * it: every policy's InitPlan cost 0.12–0.26 ms, and a receipt's posting alone has six. A
 * PL/pgSQL function is compiled once per connection and keeps its plans, so the same InitPlan
 * costs a few microseconds.
 */
const BODY = `
      SELECT CASE current_setting('app.court_ids', true)
               WHEN '*' THEN ARRAY(SELECT id FROM courts)
               ELSE coalesce(nullif(current_setting('app.court_ids', true), ''), '{}')::uuid[]
             END`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION app_court_ids() RETURNS uuid[] LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
    BEGIN
      RETURN (${BODY});
    END $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`CREATE OR REPLACE FUNCTION app_court_ids() RETURNS uuid[] LANGUAGE sql STABLE PARALLEL SAFE AS $$${BODY}
    $$`);
}
