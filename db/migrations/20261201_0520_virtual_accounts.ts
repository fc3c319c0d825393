import { Knex } from "knex";

/**
 * 一案一账号 (issue 13): every case gets a serial within its court and, once the court has a
 * virtual account prefix, a virtual account number = prefix + serial (8 digits) + two ISO 7064
 * MOD 97-10 check digits (api/statements/virtual-account.ts gives the same number). The database
 * assigns both on insert, so no code path can make a case without them; old cases are backfilled
 * here, and a court that sets its prefix later gets numbers for its cases then. A number once
 * given never changes (payment notices carry it): a new prefix applies to new cases only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE cases ADD COLUMN serial integer, ADD COLUMN virtual_account_number text`);
  await knex.raw(`CREATE TABLE case_serials (court_id uuid PRIMARY KEY REFERENCES courts(id), last integer NOT NULL CHECK (last >= 0))`);

  await knex.raw(`
    CREATE FUNCTION virtual_account_number(prefix text, serial integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT prefix || lpad(serial::text, 8, '0')
             || lpad((98 - ((prefix || lpad(serial::text, 8, '0') || '00')::numeric % 97))::text, 2, '0')
    $$`);

  // Old cases: serials in the order they were made.
  await knex.raw(`
    UPDATE cases c SET serial = s.n
      FROM (SELECT id, row_number() OVER (PARTITION BY court_id ORDER BY created_at, id) AS n FROM cases) s
     WHERE s.id = c.id`);
  await knex.raw(`INSERT INTO case_serials (court_id, last) SELECT court_id, max(serial) FROM cases GROUP BY court_id`);
  await knex.raw(`
    UPDATE cases c SET virtual_account_number = virtual_account_number(s.virtual_account_prefix, c.serial)
      FROM court_settings s WHERE s.court_id = c.court_id AND s.virtual_account_prefix IS NOT NULL`);
  await knex.raw(`ALTER TABLE cases ALTER COLUMN serial SET NOT NULL`);
  await knex.raw(`ALTER TABLE cases ADD CONSTRAINT cases_serial_positive CHECK (serial > 0 AND serial < 100000000)`);
  await knex.raw(`CREATE UNIQUE INDEX cases_court_serial_idx ON cases (court_id, serial)`);
  await knex.raw(`CREATE UNIQUE INDEX cases_virtual_account_idx ON cases (court_id, virtual_account_number) WHERE virtual_account_number IS NOT NULL`);

  await knex.raw(`
    CREATE FUNCTION cases_assign_serial() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE prefix text;
    BEGIN
      INSERT INTO case_serials AS s (court_id, last) VALUES (NEW.court_id, 1)
        ON CONFLICT (court_id) DO UPDATE SET last = s.last + 1
        RETURNING last INTO NEW.serial;
      SELECT virtual_account_prefix INTO prefix FROM court_settings WHERE court_id = NEW.court_id;
      IF prefix IS NOT NULL THEN NEW.virtual_account_number := virtual_account_number(prefix, NEW.serial); END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER cases_serial BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION cases_assign_serial()`);

  // Neither the serial nor a given virtual account number ever changes.
  await knex.raw(`
    CREATE FUNCTION cases_keep_virtual_account() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.serial IS DISTINCT FROM OLD.serial
         OR (OLD.virtual_account_number IS NOT NULL AND NEW.virtual_account_number IS DISTINCT FROM OLD.virtual_account_number) THEN
        RAISE EXCEPTION 'a case''s serial and virtual account number never change' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER cases_virtual_account_fixed BEFORE UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION cases_keep_virtual_account()`);

  // A court that sets its prefix: its cases without a number get one now.
  await knex.raw(`
    CREATE FUNCTION court_settings_number_cases() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.virtual_account_prefix IS NOT NULL THEN
        UPDATE cases SET virtual_account_number = virtual_account_number(NEW.virtual_account_prefix, serial)
         WHERE court_id = NEW.court_id AND virtual_account_number IS NULL;
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER court_settings_virtual_accounts AFTER INSERT OR UPDATE OF virtual_account_prefix ON court_settings
    FOR EACH ROW EXECUTE FUNCTION court_settings_number_cases()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TRIGGER court_settings_virtual_accounts ON court_settings`);
  await knex.raw(`DROP FUNCTION court_settings_number_cases()`);
  await knex.raw(`DROP TRIGGER cases_virtual_account_fixed ON cases`);
  await knex.raw(`DROP FUNCTION cases_keep_virtual_account()`);
  await knex.raw(`DROP TRIGGER cases_serial ON cases`);
  await knex.raw(`DROP FUNCTION cases_assign_serial()`);
  await knex.raw(`ALTER TABLE cases DROP COLUMN serial, DROP COLUMN virtual_account_number`);
  await knex.raw(`DROP FUNCTION virtual_account_number(text, integer)`);
  await knex.raw(`DROP TABLE case_serials`);
}
