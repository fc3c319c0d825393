import { Knex } from "knex";

/**
 * The audit trail: one hash-chained event per change. `audit_head` is a single row locked FOR
 * UPDATE by every writer, so concurrent transactions still build one unbroken chain.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE audit_events (
      seq bigint PRIMARY KEY,
      at timestamptz NOT NULL,
      actor_id uuid,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text NOT NULL,
      court_id uuid,
      request_id text,
      data jsonb NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL
    )`);
  await knex.raw(`CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, seq)`);
  await knex.raw(`CREATE INDEX audit_events_court_idx ON audit_events (court_id, seq)`);
  await knex.raw(`CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq)`);
  await knex.raw(`
    CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);

  await knex.raw(`
    CREATE TABLE audit_head (
      id smallint PRIMARY KEY CHECK (id = 1),
      seq bigint NOT NULL,
      hash text NOT NULL
    )`);
  await knex.raw(`INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE audit_head`);
  await knex.raw(`DROP TABLE audit_events`);
}
