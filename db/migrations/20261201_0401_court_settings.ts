import { Knex } from "knex";

/**
 * A court's settings (issues 13 and 14): its master account for 一案一账号, the prefix of its
 * cases' virtual accounts, stricter local deadlines, the claim period of unidentified money,
 * approval levels by amount, and whether it collects the execution fee. One row per court,
 * made on first change; a court without a row has the defaults.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE court_settings (
      court_id uuid PRIMARY KEY REFERENCES courts(id),
      master_bank_name text CHECK (length(master_bank_name) BETWEEN 1 AND 200),
      master_account_name text CHECK (length(master_account_name) BETWEEN 1 AND 200),
      master_account_number text CHECK (master_account_number ~ '^[0-9]{8,32}$'),
      virtual_account_prefix text UNIQUE CHECK (virtual_account_prefix ~ '^[0-9]{4,12}$'),
      disbursement_deadlines jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(disbursement_deadlines) = 'array'),
      unidentified_claim_working_days integer NOT NULL DEFAULT 3 CHECK (unidentified_claim_working_days BETWEEN 1 AND 30),
      approval_levels jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(approval_levels) = 'array'),
      charge_execution_fee boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid NOT NULL REFERENCES users(id),
      CHECK ((master_bank_name IS NULL) = (master_account_number IS NULL) AND (master_account_name IS NULL) = (master_account_number IS NULL))
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE court_settings`);
}
