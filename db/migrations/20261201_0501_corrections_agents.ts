import { Knex } from "knex";

/**
 * Issue 12: corrections, more parties, agents (代理人) and search by id number.
 * - `cases.perform_by`: the date the judgment required payment by (delay interest counts from it).
 * - `parties.id_number_hash`: HMAC-SHA-256 of the normalised id number under IDENTITY_HASH_KEY
 *   (api/core/keyed-hash.ts), the only indexed form of an id number; filled by the app (the key is
 *   not the database's to know), at write and at start-up for older rows.
 * - `party_agents`: a party's agent with the power of attorney, approved by a second person.
 * - `payout_items.agent_id`: an item that pays the party's approved agent.
 * - `keyed_hash_state`: a check value of the key the hashes were made with, so that a new key
 *   makes the app recompute them instead of silently finding nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE cases ADD COLUMN perform_by date`);
  await knex.raw(`ALTER TABLE parties ADD COLUMN id_number_hash text CHECK (id_number_hash ~ '^[0-9a-f]{64}$')`);
  await knex.raw(`CREATE INDEX parties_id_number_hash_idx ON parties (court_id, id_number_hash) WHERE id_number_hash IS NOT NULL`);
  await knex.raw(`
    CREATE TABLE keyed_hash_state (
      id smallint PRIMARY KEY CHECK (id = 1),
      key_check text NOT NULL
    )`);

  await knex.raw(`
    CREATE TABLE party_agents (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      case_id uuid NOT NULL,
      party_id uuid NOT NULL REFERENCES parties(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      id_number text,
      law_firm text CHECK (length(law_firm) BETWEEN 1 AND 200),
      special_authority boolean NOT NULL,
      authority_number text NOT NULL CHECK (length(authority_number) BETWEEN 1 AND 100),
      authority_signed_on date NOT NULL,
      bank_name text,
      bank_account_name text,
      bank_account_number text,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected')),
      requested_by uuid NOT NULL REFERENCES users(id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      reject_reason text,
      FOREIGN KEY (court_id, case_id) REFERENCES cases (court_id, id),
      CHECK ((bank_name IS NULL) = (bank_account_number IS NULL) AND (bank_name IS NULL) = (bank_account_name IS NULL)),
      CHECK ((status = 'pending') = (decided_by IS NULL)),
      CHECK ((status = 'rejected') = (reject_reason IS NOT NULL)),
      CHECK (decided_by IS NULL OR decided_by <> requested_by)
    )`);
  await knex.raw(`CREATE INDEX party_agents_party_idx ON party_agents (court_id, party_id)`);
  await knex.raw(`CREATE INDEX party_agents_status_idx ON party_agents (court_id, status, requested_at, id)`);

  await knex.raw(`ALTER TABLE payout_items ADD COLUMN agent_id uuid REFERENCES party_agents(id)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE payout_items DROP COLUMN agent_id`);
  await knex.raw(`DROP TABLE party_agents`);
  await knex.raw(`DROP TABLE keyed_hash_state`);
  await knex.raw(`DROP INDEX parties_id_number_hash_idx`);
  await knex.raw(`ALTER TABLE parties DROP COLUMN id_number_hash`);
  await knex.raw(`ALTER TABLE cases DROP COLUMN perform_by`);
}
