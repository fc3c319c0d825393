import { Knex } from "knex";

/**
 * The inspection team's own work (issue 15): inspections of a court, their findings with the
 * court's rectifications and the inspector's verifications, and letters and visits (来信来访).
 * A finding moves open → rectifying → rectified → verified, or rectified → reopened → rectifying…;
 * the trigger refuses any other move, as the payout tables do. Rectifications and verifications
 * are evidence: append-only. Every row carries its court, and every reference stays inside it
 * (composite foreign keys on (court_id, id)).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE inspections (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL REFERENCES courts(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      from_on date NOT NULL,
      to_on date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      UNIQUE (court_id, id),
      CHECK (to_on >= from_on)
    )`);
  await knex.raw(`CREATE INDEX inspections_court_idx ON inspections (court_id, from_on, id)`);

  await knex.raw(`
    CREATE TABLE complaints (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL REFERENCES courts(id),
      received_on date NOT NULL,
      channel text NOT NULL CHECK (channel IN ('letter','visit','phone','online')),
      complainant_name text NOT NULL CHECK (length(complainant_name) BETWEEN 1 AND 200),
      case_id uuid,
      summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 4000),
      reply_by date NOT NULL,
      status text NOT NULL DEFAULT 'received' CHECK (status IN ('received','replied')),
      replied_on date,
      outcome text CHECK (length(outcome) BETWEEN 1 AND 4000),
      replied_by uuid REFERENCES users(id),
      replied_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      UNIQUE (court_id, id),
      FOREIGN KEY (court_id, case_id) REFERENCES cases (court_id, id),
      CHECK (reply_by >= received_on),
      CHECK ((status = 'replied') = (replied_on IS NOT NULL AND outcome IS NOT NULL AND replied_by IS NOT NULL)),
      CHECK (replied_on IS NULL OR replied_on >= received_on)
    )`);
  await knex.raw(`CREATE INDEX complaints_court_idx ON complaints (court_id, received_on, id)`);
  await knex.raw(`
    CREATE FUNCTION complaints_status_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.status = 'replied' THEN
        RAISE EXCEPTION 'complaint % is already answered', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER complaints_status_guard BEFORE UPDATE ON complaints FOR EACH ROW EXECUTE FUNCTION complaints_status_guard()`);
  await knex.raw(`CREATE TRIGGER complaints_no_delete BEFORE DELETE OR TRUNCATE ON complaints FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);

  await knex.raw(`
    CREATE TABLE findings (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      inspection_id uuid NOT NULL,
      category text NOT NULL CHECK (category IN ('overdue_funds','unentitled_payee','listing_not_removed','freeze_lapsed','record_altered','complaint','other')),
      description text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
      severity text NOT NULL CHECK (severity IN ('low','medium','high')),
      entities jsonb NOT NULL CHECK (jsonb_typeof(entities) = 'array'),
      responsible_user_id uuid REFERENCES users(id),
      complaint_id uuid,
      found_on date NOT NULL,
      rectify_by date NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','rectifying','rectified','verified','reopened')),
      verified_by uuid REFERENCES users(id),
      verified_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      UNIQUE (court_id, id),
      FOREIGN KEY (court_id, inspection_id) REFERENCES inspections (court_id, id),
      FOREIGN KEY (court_id, complaint_id) REFERENCES complaints (court_id, id),
      CHECK (rectify_by >= found_on),
      CHECK (complaint_id IS NULL OR category = 'complaint'),
      CHECK ((status = 'verified') = (verified_by IS NOT NULL))
    )`);
  await knex.raw(`CREATE INDEX findings_inspection_idx ON findings (court_id, inspection_id, found_on, id)`);
  await knex.raw(`
    CREATE FUNCTION findings_status_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'open' AND NEW.status IN ('rectifying','rectified')) OR
           (OLD.status = 'rectifying' AND NEW.status = 'rectified') OR
           (OLD.status = 'rectified' AND NEW.status IN ('verified','reopened')) OR
           (OLD.status = 'reopened' AND NEW.status IN ('rectifying','rectified'))) THEN
        RAISE EXCEPTION 'finding % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
      END IF;
      IF OLD.status = 'verified' THEN
        RAISE EXCEPTION 'finding % is verified: it no longer changes', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      IF (NEW.court_id, NEW.inspection_id, NEW.category, NEW.description, NEW.severity, NEW.entities, NEW.found_on, NEW.rectify_by, NEW.created_by)
         IS DISTINCT FROM (OLD.court_id, OLD.inspection_id, OLD.category, OLD.description, OLD.severity, OLD.entities, OLD.found_on, OLD.rectify_by, OLD.created_by) THEN
        RAISE EXCEPTION 'finding % : only its status moves', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER findings_status_guard BEFORE UPDATE ON findings FOR EACH ROW EXECUTE FUNCTION findings_status_guard()`);
  await knex.raw(`CREATE TRIGGER findings_no_delete BEFORE DELETE OR TRUNCATE ON findings FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);

  await knex.raw(`
    CREATE TABLE finding_rectifications (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      finding_id uuid NOT NULL,
      description text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
      evidence jsonb NOT NULL CHECK (jsonb_typeof(evidence) = 'array'),
      completed_on date,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      FOREIGN KEY (court_id, finding_id) REFERENCES findings (court_id, id)
    )`);
  await knex.raw(`CREATE INDEX finding_rectifications_idx ON finding_rectifications (court_id, finding_id, created_at)`);

  await knex.raw(`
    CREATE TABLE finding_verifications (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      finding_id uuid NOT NULL,
      rectification_id uuid NOT NULL REFERENCES finding_rectifications(id),
      accepted boolean NOT NULL,
      note text NOT NULL CHECK (length(note) BETWEEN 1 AND 4000),
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      FOREIGN KEY (court_id, finding_id) REFERENCES findings (court_id, id),
      UNIQUE (rectification_id)
    )`);
  await knex.raw(`CREATE INDEX finding_verifications_idx ON finding_verifications (court_id, finding_id, created_at)`);
  for (const table of ["finding_rectifications", "finding_verifications"]) {
    await knex.raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE finding_verifications`);
  await knex.raw(`DROP TABLE finding_rectifications`);
  await knex.raw(`DROP TABLE findings`);
  await knex.raw(`DROP FUNCTION findings_status_guard()`);
  await knex.raw(`DROP TABLE complaints`);
  await knex.raw(`DROP FUNCTION complaints_status_guard()`);
  await knex.raw(`DROP TABLE inspections`);
}
