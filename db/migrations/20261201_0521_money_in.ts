import { Knex } from "knex";

/**
 * Money coming in (issue 13): bank statements and their lines, saved column mappings,
 * unidentified funds (不明款), one register of bank references per court, cash receipts with
 * their witnesses, and the journal's `unidentified` account.
 *
 * Journal: an unidentified credit debits `court_bank` and credits `unidentified` (an entry with no
 * case); a claim is a `receipt` entry whose first line debits `unidentified` instead of the bank
 * (the money was in the bank already). So Σ court_bank = Σ case_held + Σ unidentified, always.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE bank_statement_mappings (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL REFERENCES courts(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
      mapping jsonb NOT NULL CHECK (jsonb_typeof(mapping) = 'object'),
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      UNIQUE (court_id, name)
    )`);

  await knex.raw(`
    CREATE TABLE bank_statements (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL REFERENCES courts(id),
      account_number text NOT NULL CHECK (account_number ~ '^[0-9]{8,32}$'),
      layout text NOT NULL,
      file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
      file_kind text NOT NULL CHECK (file_kind IN ('csv','xlsx')),
      line_count integer NOT NULL CHECK (line_count >= 0),
      matched integer NOT NULL CHECK (matched >= 0),
      unidentified integer NOT NULL CHECK (unidentified >= 0),
      duplicates integer NOT NULL CHECK (duplicates >= 0),
      debits integer NOT NULL CHECK (debits >= 0),
      opening_balance numeric(20,2),
      closing_balance numeric(20,2),
      period_from date,
      period_to date,
      imported_at timestamptz NOT NULL DEFAULT now(),
      imported_by uuid NOT NULL REFERENCES users(id),
      UNIQUE (court_id, file_sha256),
      CHECK (matched + unidentified + duplicates + debits = line_count)
    )`);
  await knex.raw(`CREATE UNIQUE INDEX bank_statements_court_id_id_idx ON bank_statements (court_id, id)`);
  await knex.raw(`CREATE INDEX bank_statements_period_idx ON bank_statements (court_id, period_to, imported_at)`);

  await knex.raw(`
    CREATE TABLE unidentified_funds (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL REFERENCES courts(id),
      statement_id uuid NOT NULL,
      amount numeric(20,2) NOT NULL CHECK (amount > 0),
      received_on date NOT NULL,
      claim_by date NOT NULL CHECK (claim_by >= received_on),
      payer_name text,
      payer_account text,
      payer_bank text,
      remark text,
      bank_reference text,
      reason text NOT NULL CHECK (reason IN ('no_match','case_closed','case_ambiguous')),
      status text NOT NULL DEFAULT 'unclaimed' CHECK (status IN ('unclaimed','claimed','returning','returned')),
      claimed_case_id uuid,
      claimed_receipt_id uuid REFERENCES receipts(id),
      claimed_by uuid REFERENCES users(id),
      claimed_at timestamptz,
      claim_note text CHECK (length(claim_note) BETWEEN 1 AND 1000),
      return_reason text CHECK (length(return_reason) BETWEEN 1 AND 1000),
      returned_by uuid REFERENCES users(id),
      returned_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (court_id, statement_id) REFERENCES bank_statements (court_id, id),
      FOREIGN KEY (court_id, claimed_case_id) REFERENCES cases (court_id, id),
      CHECK ((status = 'claimed') = (claimed_receipt_id IS NOT NULL AND claimed_case_id IS NOT NULL AND claimed_by IS NOT NULL AND claimed_at IS NOT NULL)),
      CHECK ((status IN ('returning','returned')) = (return_reason IS NOT NULL AND returned_by IS NOT NULL AND returned_at IS NOT NULL))
    )`);
  await knex.raw(`CREATE UNIQUE INDEX unidentified_funds_court_id_id_idx ON unidentified_funds (court_id, id)`);
  await knex.raw(`CREATE INDEX unidentified_funds_status_idx ON unidentified_funds (court_id, status, received_on, id)`);
  // Unclaimed money only moves forward: unclaimed → claimed, or unclaimed → returning → returned.
  await knex.raw(`
    CREATE FUNCTION unidentified_funds_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'unidentified funds are never deleted' USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF (NEW.id, NEW.court_id, NEW.statement_id, NEW.amount, NEW.received_on, NEW.claim_by, NEW.bank_reference)
         IS DISTINCT FROM (OLD.id, OLD.court_id, OLD.statement_id, OLD.amount, OLD.received_on, OLD.claim_by, OLD.bank_reference) THEN
        RAISE EXCEPTION 'an unidentified fund''s money and dates never change' USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'unclaimed' AND NEW.status IN ('claimed','returning')) OR
           (OLD.status = 'returning' AND NEW.status = 'returned')) THEN
        RAISE EXCEPTION 'an unidentified fund cannot go from % to %', OLD.status, NEW.status USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER unidentified_funds_guarded BEFORE UPDATE OR DELETE ON unidentified_funds
    FOR EACH ROW EXECUTE FUNCTION unidentified_funds_guard()`);

  await knex.raw(`
    CREATE TABLE bank_statement_lines (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      statement_id uuid NOT NULL,
      line_no integer NOT NULL CHECK (line_no > 0),
      fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
      value_date date NOT NULL,
      direction text NOT NULL CHECK (direction IN ('credit','debit')),
      amount numeric(20,2) NOT NULL CHECK (amount > 0),
      balance_after numeric(20,2),
      counterparty_name text,
      counterparty_account text,
      counterparty_bank text,
      remark text,
      bank_reference text,
      virtual_account text,
      outcome text NOT NULL CHECK (outcome IN ('receipt','already_recorded','unidentified','payout','unmatched_debit')),
      case_id uuid,
      receipt_id uuid REFERENCES receipts(id),
      unidentified_fund_id uuid REFERENCES unidentified_funds(id),
      payout_item_id uuid,
      FOREIGN KEY (court_id, statement_id) REFERENCES bank_statements (court_id, id),
      UNIQUE (court_id, fingerprint),
      CHECK ((outcome IN ('receipt','already_recorded')) = (receipt_id IS NOT NULL)),
      CHECK ((outcome = 'unidentified') = (unidentified_fund_id IS NOT NULL)),
      CHECK ((outcome = 'payout') = (payout_item_id IS NOT NULL)),
      CHECK ((direction = 'debit') = (outcome IN ('payout','unmatched_debit')))
    )`);
  await knex.raw(`CREATE INDEX bank_statement_lines_statement_idx ON bank_statement_lines (court_id, statement_id, line_no)`);
  await knex.raw(`CREATE UNIQUE INDEX bank_statement_lines_receipt_idx ON bank_statement_lines (receipt_id) WHERE receipt_id IS NOT NULL`);
  await knex.raw(`CREATE UNIQUE INDEX bank_statement_lines_payout_idx ON bank_statement_lines (payout_item_id) WHERE payout_item_id IS NOT NULL`);
  await knex.raw(`
    CREATE TRIGGER bank_statement_lines_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON bank_statement_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  await knex.raw(`
    CREATE TRIGGER bank_statements_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON bank_statements
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);

  // A bank reference is unique per court across receipts and statement lines (normalised: no blanks, upper case).
  await knex.raw(`
    CREATE TABLE bank_references (
      court_id uuid NOT NULL REFERENCES courts(id),
      reference_key text NOT NULL CHECK (length(reference_key) BETWEEN 1 AND 100),
      receipt_id uuid REFERENCES receipts(id),
      unidentified_fund_id uuid REFERENCES unidentified_funds(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (court_id, reference_key),
      CHECK (receipt_id IS NOT NULL OR unidentified_fund_id IS NOT NULL)
    )`);
  // Receipts recorded before the rule: the first of each reference holds it; later duplicates stay as they are.
  await knex.raw(`
    INSERT INTO bank_references (court_id, reference_key, receipt_id, created_at)
    SELECT DISTINCT ON (court_id, upper(regexp_replace(bank_reference, '\\s', '', 'g')))
           court_id, upper(regexp_replace(bank_reference, '\\s', '', 'g')), id, created_at
      FROM receipts
     WHERE bank_reference IS NOT NULL AND regexp_replace(bank_reference, '\\s', '', 'g') <> ''
     ORDER BY court_id, upper(regexp_replace(bank_reference, '\\s', '', 'g')), created_at, id`);

  // Cash (款物规定): two officers present and the day it was handed to finance.
  await knex.raw(`ALTER TABLE receipts DROP CONSTRAINT receipts_source_check`);
  await knex.raw(`ALTER TABLE receipts ADD CONSTRAINT receipts_source_check CHECK (source IN ('voluntary','deduction','auction','other','cash'))`);
  await knex.raw(`ALTER TABLE receipts ADD COLUMN handed_over_on date, ADD COLUMN witness_ids uuid[]`);
  await knex.raw(`
    ALTER TABLE receipts ADD CONSTRAINT receipts_cash_witnessed CHECK (
      (source = 'cash') = (handed_over_on IS NOT NULL AND witness_ids IS NOT NULL)
      AND (witness_ids IS NULL OR (cardinality(witness_ids) = 2 AND witness_ids[1] <> witness_ids[2]))
      AND (handed_over_on IS NULL OR handed_over_on >= received_on))`);
  await knex.raw(`CREATE INDEX receipts_court_day_idx ON receipts (court_id, received_on, created_at, id)`);

  // The journal's unidentified account.
  await knex.raw(`ALTER TABLE journal_entries ALTER COLUMN case_id DROP NOT NULL`);
  await knex.raw(`ALTER TABLE journal_entries ADD COLUMN unidentified_fund_id uuid REFERENCES unidentified_funds(id)`);
  await knex.raw(`ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_check`);
  await knex.raw(`
    ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_check
      CHECK (kind IN ('receipt','receipt_reversal','payout','payout_return','unidentified_in','unidentified_out'))`);
  await knex.raw(`ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_case_or_unidentified CHECK ((case_id IS NULL) = (kind IN ('unidentified_in','unidentified_out')))`);
  await knex.raw(`ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_unidentified_fund CHECK (kind NOT IN ('unidentified_in','unidentified_out') OR unidentified_fund_id IS NOT NULL)`);
  await knex.raw(`ALTER TABLE journal_lines DROP CONSTRAINT journal_lines_account_check`);
  await knex.raw(`ALTER TABLE journal_lines ADD CONSTRAINT journal_lines_account_check CHECK (account IN ('court_bank','case_held','unidentified'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE journal_lines DROP CONSTRAINT journal_lines_account_check`);
  await knex.raw(`ALTER TABLE journal_lines ADD CONSTRAINT journal_lines_account_check CHECK (account IN ('court_bank','case_held'))`);
  await knex.raw(`ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_unidentified_fund`);
  await knex.raw(`ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_case_or_unidentified`);
  await knex.raw(`ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_check`);
  await knex.raw(`ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_check CHECK (kind IN ('receipt','receipt_reversal','payout','payout_return'))`);
  await knex.raw(`ALTER TABLE journal_entries DROP COLUMN unidentified_fund_id`);
  await knex.raw(`ALTER TABLE journal_entries ALTER COLUMN case_id SET NOT NULL`);
  await knex.raw(`DROP INDEX receipts_court_day_idx`);
  await knex.raw(`ALTER TABLE receipts DROP CONSTRAINT receipts_cash_witnessed`);
  await knex.raw(`ALTER TABLE receipts DROP COLUMN handed_over_on, DROP COLUMN witness_ids`);
  await knex.raw(`ALTER TABLE receipts DROP CONSTRAINT receipts_source_check`);
  await knex.raw(`ALTER TABLE receipts ADD CONSTRAINT receipts_source_check CHECK (source IN ('voluntary','deduction','auction','other'))`);
  await knex.raw(`DROP TABLE bank_references`);
  await knex.raw(`DROP TABLE bank_statement_lines`);
  await knex.raw(`DROP TABLE unidentified_funds`);
  await knex.raw(`DROP FUNCTION unidentified_funds_guard()`);
  await knex.raw(`DROP TABLE bank_statements`);
  await knex.raw(`DROP TABLE bank_statement_mappings`);
}
