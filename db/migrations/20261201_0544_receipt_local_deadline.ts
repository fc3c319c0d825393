import { Knex } from "knex";

/**
 * Local deadlines (issue 14 item 6): a receipt keeps both deadlines it was given, the statutory
 * 30 days and the court's local one (null where the court has none); `disburse_by` stays the
 * earlier of the two, the one the held-funds rules count against. Receipts are append-only, so
 * receipts made before this migration keep null in both new columns (their disburse_by was the
 * statutory one).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE receipts ADD COLUMN statutory_disburse_by date`);
  await knex.raw(`ALTER TABLE receipts ADD COLUMN local_disburse_by date`);
  await knex.raw(`
    ALTER TABLE receipts ADD CONSTRAINT receipts_disburse_by_earlier_check CHECK (
      statutory_disburse_by IS NULL OR disburse_by = least(statutory_disburse_by, coalesce(local_disburse_by, statutory_disburse_by)))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE receipts DROP CONSTRAINT receipts_disburse_by_earlier_check`);
  await knex.raw(`ALTER TABLE receipts DROP COLUMN local_disburse_by`);
  await knex.raw(`ALTER TABLE receipts DROP COLUMN statutory_disburse_by`);
}
