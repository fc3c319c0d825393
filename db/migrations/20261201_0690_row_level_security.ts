import { Knex } from "knex";

/**
 * Row-level security by court (issue 16, docs/adr/0005-row-level-security.md): a second fence
 * behind the application's own court checks.
 *
 * Requests run as the role `enforcement_app` — not a superuser and not the tables' owner, so the
 * policies bind it — with the signed-in user's courts in `app.court_ids`, both set per transaction
 * (`set_config(…, true)`) by db/transaction.ts. Every table holding a `court_id` gets one policy:
 * a row is seen and written only when its court is among those. A query with no courts set sees
 * nothing. Migrations and the system's own work (no signed-in user) run as the connecting user,
 * the owner.
 *
 * Two deliberate exceptions, both written down in the ADR:
 * - `user_courts`: the membership the scope is made of, read while the token is checked, before
 *   any scope exists;
 * - `audit_events`: events of no court (users, calendars: the `system` chain) and the frozen v1
 *   prefix that every chain links to stay readable, so that a court's chain verifies.
 *
 * The loop covers every court table that exists when it runs; a later table must add its own
 * policy (test/db/row-level-security.test.ts fails otherwise).
 */
export const APP_ROLE = "enforcement_app";
const UNFENCED = ["user_courts"];

export async function up(knex: Knex): Promise<void> {
  // A role belongs to the whole server, not to one database: it may exist already.
  await knex.raw(`
    DO $$ BEGIN
      CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  // The connecting user (the owner) switches to it per transaction: a superuser may anyway, any
  // other owner needs the membership.
  await knex.raw(`
    DO $$ BEGIN
      IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
      END IF;
    END $$`);
  await knex.raw(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
  await knex.raw(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`);
  await knex.raw(`REVOKE ALL ON knex_migrations, knex_migrations_lock FROM ${APP_ROLE}`);
  await knex.raw(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
  // Tables and sequences that later migrations create are the app's to use as well (their
  // policies are their own business: see above).
  await knex.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE}`);
  await knex.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${APP_ROLE}`);

  // The courts of this transaction: a uuid array, or `*` for every court (an admin's). The
  // policies call it as a scalar sub-select, `(SELECT app_court_ids())::uuid[]`: an InitPlan, computed once
  // per statement and usable as an index condition, rather than once per row.
  await knex.raw(`
    CREATE FUNCTION app_court_ids() RETURNS uuid[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
      SELECT CASE current_setting('app.court_ids', true)
               WHEN '*' THEN ARRAY(SELECT id FROM courts)
               ELSE coalesce(nullif(current_setting('app.court_ids', true), ''), '{}')::uuid[]
             END
    $$`);

  for (const table of await courtTables(knex)) {
    if (UNFENCED.includes(table)) continue;
    await knex.raw(`ALTER TABLE ?? ENABLE ROW LEVEL SECURITY`, [table]);
    if (table === "audit_events") {
      await knex.raw(`
        CREATE POLICY court_scope ON audit_events
          USING (court_id = ANY ((SELECT app_court_ids())::uuid[]) OR court_id IS NULL OR chain IS NULL)
          WITH CHECK (court_id = ANY ((SELECT app_court_ids())::uuid[]) OR court_id IS NULL)`);
    } else {
      await knex.raw(`CREATE POLICY court_scope ON ?? USING (court_id = ANY ((SELECT app_court_ids())::uuid[])) WITH CHECK (court_id = ANY ((SELECT app_court_ids())::uuid[]))`, [table]);
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  const { rows } = await knex.raw<{ rows: { tablename: string }[] }>(
    `SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname = 'court_scope' ORDER BY tablename`,
  );
  for (const { tablename } of rows) {
    await knex.raw(`DROP POLICY court_scope ON ??`, [tablename]);
    await knex.raw(`ALTER TABLE ?? DISABLE ROW LEVEL SECURITY`, [tablename]);
  }
  await knex.raw(`DROP FUNCTION app_court_ids()`);
  await knex.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${APP_ROLE}`);
  await knex.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${APP_ROLE}`);
  await knex.raw(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${APP_ROLE}`);
  await knex.raw(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${APP_ROLE}`);
  await knex.raw(`REVOKE USAGE ON SCHEMA public FROM ${APP_ROLE}`);
  // The role itself stays: it belongs to the server, and other databases on it may use it.
}

/** The base tables of the public schema that hold a court_id column. */
export async function courtTables(knex: Knex): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: { table_name: string }[] }>(`
    SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = 'public' AND c.column_name = 'court_id' AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name`);
  return rows.map((r) => r.table_name);
}
