import { Knex } from "knex";

/**
 * Real dates on the debtor list (issue 14 item 9): a decision, a publication and a removal may be
 * recorded after they happened. The real date is the stored business date; the day of entry is
 * kept beside it (`created_at`, and for a removal `removal_requested_at` / `removal_approved_at`);
 * an entry more than 30 days after its real date carries a note.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE listings ADD COLUMN decision_note text CHECK (length(decision_note) BETWEEN 1 AND 2000)`);
  await knex.raw(`ALTER TABLE listings ADD COLUMN removal_approved_at timestamptz`);
  await knex.raw(`ALTER TABLE listing_publications ADD COLUMN note text CHECK (length(note) BETWEEN 1 AND 2000)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE listing_publications DROP COLUMN note`);
  await knex.raw(`ALTER TABLE listings DROP COLUMN removal_approved_at`);
  await knex.raw(`ALTER TABLE listings DROP COLUMN decision_note`);
}
