import { Knex } from "knex";

/**
 * One audit chain per court (issue 16, docs/adr/0003-audit-chain-per-court.md).
 *
 * Until now every writer of every court locked the one `audit_head` row from its first audit
 * statement to its commit. From here on each court has its own chain and head (`audit_heads`,
 * keyed by `chain`: the court's id, or `system` for events of no court such as users and
 * calendars), so courts no longer wait for each other, and the head is locked, advanced and the
 * events inserted by one function call, the last statement before COMMIT.
 *
 * The v1 global chain stays as it is, the prefix of every new chain: its events keep
 * `chain IS NULL`, its head `audit_head` is frozen (a trigger refuses any change), and the first
 * event of each new chain links to that frozen head's hash. Global `seq` now comes from a
 * sequence: it orders events but may have gaps (a rolled-back transaction uses numbers); a chain's
 * own `chain_seq` has none.
 *
 * A new event's hash: sha256(prev_hash | chain_seq | body digest), the body digest being the
 * SHA-256 of the canonical JSON of the event's content, computed by the application
 * (api/audit/audit-store.ts) and recomputed there by verify.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE audit_events ADD COLUMN chain text, ADD COLUMN chain_seq bigint`);
  await knex.raw(`
    ALTER TABLE audit_events ADD CONSTRAINT audit_events_chain_shape
      CHECK ((chain IS NULL AND chain_seq IS NULL) OR (chain IS NOT NULL AND chain_seq >= 1))`);
  await knex.raw(`CREATE UNIQUE INDEX audit_events_chain_idx ON audit_events (chain, chain_seq) WHERE chain IS NOT NULL`);

  await knex.raw(`
    CREATE TABLE audit_heads (
      chain text PRIMARY KEY CHECK (chain = 'system' OR chain ~ '^[0-9a-f-]{36}$'),
      seq bigint NOT NULL CHECK (seq >= 0),
      hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
    )`);

  await knex.raw(`CREATE SEQUENCE audit_events_seq AS bigint`);
  await knex.raw(`SELECT setval('audit_events_seq', (SELECT seq FROM audit_head WHERE id = 1) + 1, false)`);

  // The v1 chain ends here: its head no longer moves.
  await knex.raw(`
    CREATE TRIGGER audit_head_frozen BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);

  await knex.raw(`
    CREATE FUNCTION audit_append(p_chain text, p_events jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
    DECLARE
      head_seq bigint;
      head_hash text;
      e jsonb;
    BEGIN
      SELECT seq, hash INTO head_seq, head_hash FROM audit_heads WHERE chain = p_chain FOR UPDATE;
      IF NOT FOUND THEN
        -- A chain's first event links to the frozen v1 head.
        INSERT INTO audit_heads (chain, seq, hash)
          SELECT p_chain, 0, h.hash FROM audit_head h WHERE h.id = 1
          ON CONFLICT (chain) DO NOTHING;
        SELECT seq, hash INTO head_seq, head_hash FROM audit_heads WHERE chain = p_chain FOR UPDATE;
      END IF;
      FOR e IN SELECT value FROM jsonb_array_elements(p_events) LOOP
        head_seq := head_seq + 1;
        INSERT INTO audit_events (seq, at, actor_id, action, entity_type, entity_id, court_id, request_id, data, chain, chain_seq, prev_hash, hash)
        VALUES (nextval('audit_events_seq'), (e->>'at')::timestamptz, (e->>'actor_id')::uuid, e->>'action', e->>'entity_type',
                e->>'entity_id', (e->>'court_id')::uuid, e->>'request_id', e->'data', p_chain, head_seq, head_hash,
                encode(sha256(convert_to(head_hash || '|' || head_seq::text || '|' || (e->>'digest'), 'UTF8')), 'hex'))
        RETURNING hash INTO head_hash;
      END LOOP;
      UPDATE audit_heads SET seq = head_seq, hash = head_hash WHERE chain = p_chain;
      RETURN head_seq;
    END $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP FUNCTION audit_append(text, jsonb)`);
  await knex.raw(`DROP TRIGGER audit_head_frozen ON audit_head`);
  await knex.raw(`DROP SEQUENCE audit_events_seq`);
  await knex.raw(`DROP TABLE audit_heads`);
  await knex.raw(`DROP INDEX audit_events_chain_idx`);
  await knex.raw(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_chain_shape, DROP COLUMN chain_seq, DROP COLUMN chain`);
}
