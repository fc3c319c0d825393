import { Knex } from "knex";

/**
 * Deferrals and bank-account changes end properly (issue 14 item 8): either can be rejected with a
 * reason; an approved deferral ends when its ground ceases (`ended_on`), and the money is then due
 * within 10 days (`pay_by`). `requested_on` is the business day of the request: a deferral covers
 * the days from it, never earlier ones.
 */
export async function up(knex: Knex): Promise<void> {
  for (const table of ["deferrals", "bank_account_changes"]) {
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_status_check`);
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_status_check CHECK (status IN ('pending','approved','rejected'))`);
    await knex.raw(`ALTER TABLE ${table} ADD COLUMN rejected_by uuid REFERENCES users(id)`);
    await knex.raw(`ALTER TABLE ${table} ADD COLUMN rejected_at timestamptz`);
    await knex.raw(`ALTER TABLE ${table} ADD COLUMN reject_reason text CHECK (length(reject_reason) BETWEEN 1 AND 2000)`);
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_rejected_check CHECK ((status = 'rejected') = (rejected_by IS NOT NULL AND reject_reason IS NOT NULL))`);
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_rejecter_check CHECK (rejected_by IS NULL OR rejected_by <> requested_by)`);
  }
  await knex.raw(`ALTER TABLE deferrals ADD COLUMN requested_on date`);
  await knex.raw(`UPDATE deferrals SET requested_on = (requested_at AT TIME ZONE 'Asia/Shanghai')::date`);
  await knex.raw(`ALTER TABLE deferrals ALTER COLUMN requested_on SET NOT NULL`);
  await knex.raw(`ALTER TABLE deferrals ADD COLUMN ended_on date`);
  await knex.raw(`ALTER TABLE deferrals ADD COLUMN end_reason text CHECK (length(end_reason) BETWEEN 1 AND 2000)`);
  await knex.raw(`ALTER TABLE deferrals ADD COLUMN ended_by uuid REFERENCES users(id)`);
  await knex.raw(`ALTER TABLE deferrals ADD COLUMN ended_at timestamptz`);
  await knex.raw(`ALTER TABLE deferrals ADD COLUMN pay_by date`);
  await knex.raw(`
    ALTER TABLE deferrals ADD CONSTRAINT deferrals_end_check CHECK (
      (ended_on IS NULL) = (end_reason IS NULL) AND (ended_on IS NULL) = (pay_by IS NULL) AND (ended_on IS NULL) = (ended_by IS NULL)
      AND (ended_on IS NULL OR (status = 'approved' AND ended_on >= requested_on AND ended_on <= until AND pay_by = ended_on + 10)))`);
  await knex.raw(`CREATE INDEX deferrals_court_status_idx ON deferrals (court_id, status, requested_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX deferrals_court_status_idx`);
  await knex.raw(`ALTER TABLE deferrals DROP CONSTRAINT deferrals_end_check`);
  for (const c of ["pay_by", "ended_at", "ended_by", "end_reason", "ended_on", "requested_on"]) await knex.raw(`ALTER TABLE deferrals DROP COLUMN ${c}`);
  for (const table of ["deferrals", "bank_account_changes"]) {
    await knex.raw(`DELETE FROM ${table} WHERE status = 'rejected'`);
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_rejecter_check`);
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_rejected_check`);
    for (const c of ["reject_reason", "rejected_at", "rejected_by"]) await knex.raw(`ALTER TABLE ${table} DROP COLUMN ${c}`);
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_status_check`);
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_status_check CHECK (status IN ('pending','approved'))`);
  }
}
