import { Knex } from "knex";

/**
 * Judicial freezes (司法冻结) of a debtor's assets. A freeze lapses by itself at the end of
 * `expires_on` unless renewed before then, so `lapsed` is computed on read; `status` holds only
 * what people did (active, released). Renewals are evidence of when the term was extended:
 * append-only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE freezes (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      case_id uuid NOT NULL,
      party_id uuid NOT NULL REFERENCES parties(id),
      asset_type text NOT NULL CHECK (asset_type IN ('bank_deposit','movable','real_estate','other')),
      description text NOT NULL CHECK (length(description) BETWEEN 1 AND 1000),
      institution text CHECK (length(institution) BETWEEN 1 AND 200),
      amount numeric(20,2) CHECK (amount > 0),
      frozen_on date NOT NULL,
      expires_on date NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','released')),
      released_on date,
      released_by uuid REFERENCES users(id),
      released_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      UNIQUE (court_id, id),
      FOREIGN KEY (court_id, case_id) REFERENCES cases (court_id, id),
      CHECK (expires_on > frozen_on),
      CHECK ((status = 'released') = (released_on IS NOT NULL AND released_by IS NOT NULL)),
      CHECK (released_on IS NULL OR released_on >= frozen_on)
    )`);
  await knex.raw(`CREATE INDEX freezes_court_expiry_idx ON freezes (court_id, expires_on, id)`);
  await knex.raw(`CREATE INDEX freezes_case_idx ON freezes (court_id, case_id)`);

  await knex.raw(`
    CREATE TABLE freeze_renewals (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      freeze_id uuid NOT NULL,
      previous_expires_on date NOT NULL,
      expires_on date NOT NULL,
      renewed_on date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      FOREIGN KEY (court_id, freeze_id) REFERENCES freezes (court_id, id),
      CHECK (expires_on > previous_expires_on),
      CHECK (renewed_on <= previous_expires_on)
    )`);
  await knex.raw(`CREATE INDEX freeze_renewals_freeze_idx ON freeze_renewals (court_id, freeze_id, renewed_on)`);
  await knex.raw(`
    CREATE TRIGGER freeze_renewals_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON freeze_renewals
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE freeze_renewals`);
  await knex.raw(`DROP TABLE freezes`);
}
