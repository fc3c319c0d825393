import { Knex } from "knex";

/**
 * The money: receipts, their reversals, a double-entry journal (append-only, each entry's lines
 * sum to zero) and one balance row per case, kept in the same transaction as every entry.
 *
 * Accounts: `court_bank` (the court's enforcement-funds bank account, an asset: debit +) and
 * `case_held` (money held for one case, owed to its applicants: credit −). A receipt debits the
 * bank and credits the case; a payout does the opposite.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE receipts (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      case_id uuid NOT NULL,
      amount numeric(20,2) NOT NULL CHECK (amount > 0),
      received_on date NOT NULL,
      disburse_by date NOT NULL,
      source text NOT NULL CHECK (source IN ('voluntary','deduction','auction','other')),
      payer_name text,
      bank_reference text,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      FOREIGN KEY (court_id, case_id) REFERENCES cases (court_id, id),
      CHECK (disburse_by = received_on + 30)
    )`);
  await knex.raw(`CREATE INDEX receipts_case_idx ON receipts (court_id, case_id, received_on, created_at)`);

  await knex.raw(`
    CREATE TABLE receipt_reversals (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      case_id uuid NOT NULL,
      receipt_id uuid NOT NULL UNIQUE REFERENCES receipts(id),
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
      reversed_on date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      FOREIGN KEY (court_id, case_id) REFERENCES cases (court_id, id)
    )`);

  await knex.raw(`
    CREATE TABLE journal_entries (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id uuid NOT NULL UNIQUE,
      court_id uuid NOT NULL,
      case_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('receipt','receipt_reversal','payout','payout_return')),
      amount numeric(20,2) NOT NULL CHECK (amount > 0),
      effective_on date NOT NULL,
      receipt_id uuid REFERENCES receipts(id),
      payout_item_id uuid,
      memo text,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      FOREIGN KEY (court_id, case_id) REFERENCES cases (court_id, id)
    )`);
  await knex.raw(`CREATE INDEX journal_entries_case_idx ON journal_entries (court_id, case_id, seq)`);
  await knex.raw(`CREATE INDEX journal_entries_payout_idx ON journal_entries (court_id, kind, effective_on)`);

  await knex.raw(`
    CREATE TABLE journal_lines (
      entry_seq bigint NOT NULL REFERENCES journal_entries(seq),
      line_no smallint NOT NULL,
      court_id uuid NOT NULL,
      case_id uuid,
      account text NOT NULL CHECK (account IN ('court_bank','case_held')),
      amount numeric(20,2) NOT NULL CHECK (amount <> 0),
      PRIMARY KEY (entry_seq, line_no),
      CHECK ((account = 'case_held') = (case_id IS NOT NULL))
    )`);
  await knex.raw(`CREATE INDEX journal_lines_account_idx ON journal_lines (court_id, account, case_id)`);

  // Every entry balances: checked over all lines inserted by one statement.
  await knex.raw(`
    CREATE FUNCTION journal_lines_balance() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE unbalanced bigint;
    BEGIN
      SELECT entry_seq INTO unbalanced FROM new_lines GROUP BY entry_seq HAVING sum(amount) <> 0 LIMIT 1;
      IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'journal entry % does not balance', unbalanced USING ERRCODE = 'check_violation';
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER journal_lines_balanced AFTER INSERT ON journal_lines
    REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION journal_lines_balance()`);

  for (const table of ["receipts", "receipt_reversals", "journal_entries", "journal_lines"]) {
    await knex.raw(`
      CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  await knex.raw(`
    CREATE TABLE case_balances (
      case_id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      received numeric(20,2) NOT NULL DEFAULT 0,
      disbursed numeric(20,2) NOT NULL DEFAULT 0,
      held numeric(20,2) NOT NULL DEFAULT 0,
      reserved numeric(20,2) NOT NULL DEFAULT 0,
      first_received_on date,
      fully_performed_on date,
      updated_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (court_id, case_id) REFERENCES cases (court_id, id),
      CHECK (received >= 0 AND disbursed >= 0),
      CHECK (held = received - disbursed),
      CHECK (held >= 0),
      CHECK (reserved >= 0 AND reserved <= held)
    )`);
  await knex.raw(`CREATE INDEX case_balances_court_idx ON case_balances (court_id)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE case_balances`);
  await knex.raw(`DROP TABLE journal_lines`);
  await knex.raw(`DROP FUNCTION journal_lines_balance()`);
  await knex.raw(`DROP TABLE journal_entries`);
  await knex.raw(`DROP TABLE receipt_reversals`);
  await knex.raw(`DROP TABLE receipts`);
}
