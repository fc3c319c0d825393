import { Knex } from "knex";

/** Courts, users and their roles and courts; tokens are kept only as SHA-256 hashes. */
export async function up(knex: Knex): Promise<void> {
  // Shared by every append-only table: money records and the audit trail are evidence.
  await knex.raw(`
    CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END $$`);

  await knex.raw(`
    CREATE TABLE courts (
      id uuid PRIMARY KEY,
      code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);

  await knex.raw(`
    CREATE TABLE users (
      id uuid PRIMARY KEY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      roles text[] NOT NULL CHECK (cardinality(roles) >= 1 AND
        roles <@ ARRAY['admin','clerk','finance','approver','list_officer','inspector']::text[]),
      token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid REFERENCES users(id)
    )`);

  await knex.raw(`
    CREATE TABLE user_courts (
      user_id uuid NOT NULL REFERENCES users(id),
      court_id uuid NOT NULL REFERENCES courts(id),
      PRIMARY KEY (user_id, court_id)
    )`);
  await knex.raw(`CREATE INDEX user_courts_court_idx ON user_courts (court_id)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE user_courts`);
  await knex.raw(`DROP TABLE users`);
  await knex.raw(`DROP TABLE courts`);
  await knex.raw(`DROP FUNCTION refuse_change()`);
}
