import { Knex } from "knex";

/** Changes that take a second person: bank account changes and deferrals (延缓发放). */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE bank_account_changes (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      case_id uuid NOT NULL,
      party_id uuid NOT NULL REFERENCES parties(id),
      bank_name text NOT NULL,
      account_name text NOT NULL,
      account_number text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved')),
      requested_by uuid NOT NULL REFERENCES users(id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      approved_by uuid REFERENCES users(id),
      approved_at timestamptz,
      FOREIGN KEY (court_id, case_id) REFERENCES cases (court_id, id),
      CHECK ((status = 'approved') = (approved_by IS NOT NULL)),
      CHECK (approved_by IS NULL OR approved_by <> requested_by)
    )`);
  await knex.raw(`CREATE INDEX bank_account_changes_party_idx ON bank_account_changes (court_id, party_id)`);

  await knex.raw(`
    CREATE TABLE deferrals (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      case_id uuid NOT NULL,
      reason text NOT NULL CHECK (reason IN ('applicant_unreachable','amount_disputed','execution_suspended','objection_pending','other')),
      until date NOT NULL,
      note text,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved')),
      requested_by uuid NOT NULL REFERENCES users(id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      approved_by uuid REFERENCES users(id),
      approved_at timestamptz,
      approved_on date,
      FOREIGN KEY (court_id, case_id) REFERENCES cases (court_id, id),
      CHECK ((status = 'approved') = (approved_by IS NOT NULL AND approved_on IS NOT NULL)),
      CHECK (approved_by IS NULL OR approved_by <> requested_by)
    )`);
  await knex.raw(`CREATE INDEX deferrals_case_idx ON deferrals (court_id, case_id, status, until)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE deferrals`);
  await knex.raw(`DROP TABLE bank_account_changes`);
}
