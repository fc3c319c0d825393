import { Knex } from "knex";

/**
 * Approval by amount (issue 14 item 7): a submitted batch records how many approvals its total
 * needs under the court's levels (`required_approvals`, fixed at the first approval), and every
 * approval is a row with its level. Each level is a different approver, neither the creator nor
 * the submitter (the database holds the first half; the service checks creator and submitter).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE payout_batches ADD COLUMN required_approvals smallint CHECK (required_approvals BETWEEN 1 AND 10)`);
  await knex.raw(`
    CREATE TABLE payout_batch_approvals (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      batch_id uuid NOT NULL,
      level smallint NOT NULL CHECK (level BETWEEN 1 AND 10),
      approved_by uuid NOT NULL REFERENCES users(id),
      approved_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (batch_id, level),
      UNIQUE (batch_id, approved_by)
    )`);
  await knex.raw(`CREATE INDEX payout_batch_approvals_court_idx ON payout_batch_approvals (court_id, batch_id)`);
  await knex.raw(`
    CREATE TRIGGER payout_batch_approvals_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON payout_batch_approvals
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE payout_batch_approvals`);
  await knex.raw(`ALTER TABLE payout_batches DROP COLUMN required_approvals`);
}
