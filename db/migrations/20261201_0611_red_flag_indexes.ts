import { Knex } from "knex";

/**
 * Indexes for the red flags (issue 15), so that each kind reads only its court's rows of the period:
 * executed batches by the day they were paid, batches by the time of their approval, and receipt
 * reversals by their day.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX payout_batches_paid_on_idx ON payout_batches (court_id, paid_on) WHERE status = 'executed'`);
  await knex.raw(`CREATE INDEX payout_batches_approved_at_idx ON payout_batches (court_id, approved_at) WHERE approved_at IS NOT NULL`);
  await knex.raw(`CREATE INDEX receipt_reversals_court_day_idx ON receipt_reversals (court_id, reversed_on)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX receipt_reversals_court_day_idx`);
  await knex.raw(`DROP INDEX payout_batches_approved_at_idx`);
  await knex.raw(`DROP INDEX payout_batches_paid_on_idx`);
}
