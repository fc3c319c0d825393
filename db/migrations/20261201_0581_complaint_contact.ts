import { Knex } from "knex";

/** A complainant's contact details (phone, address), shown whole only to the inspector who recorded them. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE complaints ADD COLUMN contact text CHECK (length(contact) BETWEEN 1 AND 200)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE complaints DROP COLUMN contact`);
}
