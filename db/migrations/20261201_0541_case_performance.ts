import { Knex } from "knex";

/**
 * What a debtor owes (issue 14 item 5). `perform_by` (the last day of the performance period) is
 * issue 12's column (20261201_0501, which runs first). A recorded full performance
 * (`POST /v1/cases/{id}/performance`, e.g. the applicant waived the doubled interest) is one row
 * per case, never changed: it is evidence of the officer's decision.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE case_performances (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      case_id uuid NOT NULL,
      performed_on date NOT NULL,
      waived_delay_interest boolean NOT NULL DEFAULT false,
      note text NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      UNIQUE (court_id, case_id),
      FOREIGN KEY (court_id, case_id) REFERENCES cases (court_id, id)
    )`);
  await knex.raw(`
    CREATE TRIGGER case_performances_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON case_performances
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE case_performances`);
}
