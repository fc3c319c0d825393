import { Knex } from "knex";

/**
 * What a payout item pays (issue 13): `applicant` (every v1 item: money owed to an applicant),
 * `refund` (退款: money the case does not owe its applicants, paid back to a debtor, with its
 * reason) and `execution_fee` (the court's fee, issue 14). Old items are applicants' items.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE payout_items
      ADD COLUMN kind text NOT NULL DEFAULT 'applicant' CHECK (kind IN ('applicant','refund','execution_fee')),
      ADD COLUMN refund_reason text CHECK (refund_reason IN ('surplus','mistaken_payment','unclaimed'))`);
  await knex.raw(`ALTER TABLE payout_items ADD CONSTRAINT payout_items_refund_reason CHECK ((kind = 'refund') = (refund_reason IS NOT NULL))`);
  await knex.raw(`CREATE INDEX payout_items_refunds_idx ON payout_items (court_id, case_id) WHERE kind = 'refund'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX payout_items_refunds_idx`);
  await knex.raw(`ALTER TABLE payout_items DROP CONSTRAINT payout_items_refund_reason`);
  await knex.raw(`ALTER TABLE payout_items DROP COLUMN refund_reason, DROP COLUMN kind`);
}
