import { Knex } from "knex";

/**
 * Execution fee items (issue 14): a payout item of kind `execution_fee` pays the case's execution
 * fee (诉讼费用交纳办法 art. 14, borne by the debtor art. 38) from its proceeds to the court's fee
 * account. Such an item names no party (its payee is the court's fee account, copied at submit
 * like a party's account) and no agent; every other item names its party, as before. The court's
 * fee account is a court setting beside its master account, all three fields or none.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE court_settings
      ADD COLUMN fee_bank_name text CHECK (length(fee_bank_name) BETWEEN 1 AND 200),
      ADD COLUMN fee_account_name text CHECK (length(fee_account_name) BETWEEN 1 AND 200),
      ADD COLUMN fee_account_number text CHECK (fee_account_number ~ '^[0-9]{8,32}$')`);
  await knex.raw(`
    ALTER TABLE court_settings ADD CONSTRAINT court_settings_fee_account_whole
      CHECK ((fee_bank_name IS NULL) = (fee_account_number IS NULL) AND (fee_account_name IS NULL) = (fee_account_number IS NULL))`);
  await knex.raw(`ALTER TABLE payout_items ALTER COLUMN party_id DROP NOT NULL`);
  await knex.raw(`
    ALTER TABLE payout_items ADD CONSTRAINT payout_items_fee_pays_no_party
      CHECK ((kind = 'execution_fee') = (party_id IS NULL) AND (kind <> 'execution_fee' OR agent_id IS NULL))`);
  await knex.raw(`CREATE INDEX payout_items_fees_idx ON payout_items (court_id, case_id) WHERE kind = 'execution_fee'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX payout_items_fees_idx`);
  await knex.raw(`ALTER TABLE payout_items DROP CONSTRAINT payout_items_fee_pays_no_party`);
  // Fails while execution fee items exist: payout items are never deleted, and a fee item has no party.
  await knex.raw(`ALTER TABLE payout_items ALTER COLUMN party_id SET NOT NULL`);
  await knex.raw(`ALTER TABLE court_settings DROP CONSTRAINT court_settings_fee_account_whole`);
  await knex.raw(`ALTER TABLE court_settings DROP COLUMN fee_account_number, DROP COLUMN fee_account_name, DROP COLUMN fee_bank_name`);
}
