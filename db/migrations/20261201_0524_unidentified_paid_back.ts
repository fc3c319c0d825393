import { Knex } from "knex";

/**
 * Unidentified money paid back to its payer (issue 13): one finance officer decides the return
 * (`returning`), a second records the bank transfer back (`returned`), and the money leaves the
 * journal's `unidentified` account and the bank.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE unidentified_funds ADD COLUMN paid_back_on date, ADD COLUMN paid_back_by uuid REFERENCES users(id), ADD COLUMN paid_back_reference text CHECK (length(paid_back_reference) BETWEEN 1 AND 100)`);
  await knex.raw(`ALTER TABLE unidentified_funds ADD CONSTRAINT unidentified_funds_paid_back CHECK ((status = 'returned') = (paid_back_on IS NOT NULL AND paid_back_by IS NOT NULL))`);
  await knex.raw(`ALTER TABLE unidentified_funds ADD CONSTRAINT unidentified_funds_paid_back_four_eyes CHECK (paid_back_by IS NULL OR paid_back_by <> returned_by)`);
  await knex.raw(`ALTER TABLE unidentified_funds ADD CONSTRAINT unidentified_funds_paid_back_date CHECK (paid_back_on IS NULL OR paid_back_on >= received_on)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE unidentified_funds DROP CONSTRAINT unidentified_funds_paid_back_date`);
  await knex.raw(`ALTER TABLE unidentified_funds DROP CONSTRAINT unidentified_funds_paid_back_four_eyes`);
  await knex.raw(`ALTER TABLE unidentified_funds DROP CONSTRAINT unidentified_funds_paid_back`);
  await knex.raw(`ALTER TABLE unidentified_funds DROP COLUMN paid_back_on, DROP COLUMN paid_back_by, DROP COLUMN paid_back_reference`);
}
