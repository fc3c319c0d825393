import { Knex } from "knex";

/**
 * Sign-in (issue 10): usernames and scrypt password hashes on users, who can be switched off;
 * sessions with idle and absolute expiry; API tokens for other systems (the v1 tokens move here
 * and keep working, without an expiry, so that an admin can list and revoke them); and every
 * sign-in attempt, so that the lockout holds across restarts and across processes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE users
      ADD COLUMN username text,
      ADD COLUMN password_hash text CHECK (password_hash ~ '^scrypt\\$[0-9]+\\$[0-9]+\\$[0-9]+\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+$'),
      ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
      ADD COLUMN active boolean NOT NULL DEFAULT true,
      ADD COLUMN deactivated_at timestamptz,
      ADD COLUMN deactivated_by uuid REFERENCES users(id),
      ADD COLUMN password_changed_at timestamptz`);
  // The users made before sign-in get a username they can be given a password under.
  await knex.raw(`UPDATE users SET username = 'user-' || substr(replace(id::text, '-', ''), 1, 12) WHERE username IS NULL`);
  await knex.raw(`ALTER TABLE users ALTER COLUMN username SET NOT NULL,
      ADD CONSTRAINT users_username_form CHECK (username ~ '^[a-z0-9._-]{3,32}$')`);
  await knex.raw(`CREATE UNIQUE INDEX users_username_key ON users (lower(username))`);

  await knex.raw(`
    CREATE TABLE api_tokens (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
      expires_on date,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid REFERENCES users(id),
      revoked_at timestamptz,
      revoked_by uuid REFERENCES users(id),
      last_used_at timestamptz
    )`);
  await knex.raw(`CREATE INDEX api_tokens_user_idx ON api_tokens (user_id)`);
  await knex.raw(`INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, created_by)
      SELECT gen_random_uuid(), id, 'v1 token', token_hash, created_at, created_by FROM users WHERE token_hash IS NOT NULL`);
  await knex.raw(`ALTER TABLE users DROP COLUMN token_hash`);

  await knex.raw(`
    CREATE TABLE sessions (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id),
      token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      ended_at timestamptz,
      end_reason text CHECK (end_reason IN ('signed_out', 'password_changed', 'password_reset', 'deactivated')),
      client_ip text
    )`);
  await knex.raw(`CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE ended_at IS NULL`);

  await knex.raw(`
    CREATE TABLE sign_in_attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      username_key text NOT NULL,
      client_ip text NOT NULL,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      succeeded boolean NOT NULL
    )`);
  await knex.raw(`CREATE INDEX sign_in_attempts_username_idx ON sign_in_attempts (username_key, at)`);
  await knex.raw(`CREATE INDEX sign_in_attempts_client_idx ON sign_in_attempts (client_ip, at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE sign_in_attempts`);
  await knex.raw(`DROP TABLE sessions`);
  await knex.raw(`ALTER TABLE users ADD COLUMN token_hash text`);
  // Each user gets back the oldest of their tokens (a v1 user had exactly one); users without a token get a random, unusable hash.
  await knex.raw(`UPDATE users u SET token_hash = coalesce(
      (SELECT t.token_hash FROM api_tokens t WHERE t.user_id = u.id ORDER BY t.created_at, t.id LIMIT 1),
      encode(sha256(gen_random_uuid()::text::bytea), 'hex'))`);
  await knex.raw(`ALTER TABLE users ALTER COLUMN token_hash SET NOT NULL, ADD CONSTRAINT users_token_hash_key UNIQUE (token_hash),
      ADD CONSTRAINT users_token_hash_check CHECK (token_hash ~ '^[0-9a-f]{64}$')`);
  await knex.raw(`DROP TABLE api_tokens`);
  await knex.raw(`DROP INDEX users_username_key`);
  await knex.raw(`ALTER TABLE users DROP CONSTRAINT users_username_form, DROP COLUMN username, DROP COLUMN password_hash,
      DROP COLUMN must_change_password, DROP COLUMN active, DROP COLUMN deactivated_at, DROP COLUMN deactivated_by, DROP COLUMN password_changed_at`);
}
