import { Knex } from "knex";

/**
 * Enforcement cases and their parties. Every table that holds a court's data carries court_id,
 * the future distribution column (Citus) and row-level-security key.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE cases (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL REFERENCES courts(id),
      case_number text NOT NULL CHECK (length(case_number) BETWEEN 1 AND 100),
      case_number_key text NOT NULL,
      cause text NOT NULL CHECK (length(cause) BETWEEN 1 AND 500),
      filed_on date NOT NULL,
      adjudicated_amount numeric(20,2) NOT NULL CHECK (adjudicated_amount > 0),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      closure_type text CHECK (closure_type IN ('fully_performed','terminated_this_round','terminated','withdrawn','other')),
      closed_on date,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      CHECK ((status = 'closed') = (closure_type IS NOT NULL AND closed_on IS NOT NULL)),
      UNIQUE (court_id, case_number_key)
    )`);
  await knex.raw(`CREATE UNIQUE INDEX cases_court_id_id_idx ON cases (court_id, id)`);
  await knex.raw(`CREATE INDEX cases_court_status_idx ON cases (court_id, status, created_at, id)`);

  await knex.raw(`
    CREATE TABLE parties (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL REFERENCES courts(id),
      case_id uuid NOT NULL,
      role text NOT NULL CHECK (role IN ('applicant', 'debtor')),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      kind text NOT NULL CHECK (kind IN ('person', 'organization')),
      id_number text,
      bank_name text,
      bank_account_name text,
      bank_account_number text,
      position smallint NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (court_id, case_id) REFERENCES cases (court_id, id),
      CHECK ((bank_name IS NULL) = (bank_account_number IS NULL) AND (bank_name IS NULL) = (bank_account_name IS NULL))
    )`);
  await knex.raw(`CREATE INDEX parties_case_idx ON parties (court_id, case_id, position)`);
  await knex.raw(`CREATE INDEX parties_name_idx ON parties (court_id, name text_pattern_ops)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE parties`);
  await knex.raw(`DROP TABLE cases`);
}
