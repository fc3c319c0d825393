import { Knex } from "knex";

/** Replay records for money-moving requests, written in the same transaction as the effect. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE idempotency_keys (
      user_id uuid NOT NULL REFERENCES users(id),
      route text NOT NULL,
      key text NOT NULL,
      fingerprint text NOT NULL,
      status_code smallint NOT NULL,
      response_body jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (user_id, route, key)
    )`);
  await knex.raw(`CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE idempotency_keys`);
}
