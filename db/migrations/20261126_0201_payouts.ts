import { Knex } from "knex";

/**
 * Payout batches (发放批次) and their items. Money is never updated in place: an item's case, party
 * and amount are fixed when it is created, the payee account is written once (at submit), and only
 * the statuses move, along the state machine below, which the database enforces as well as the code.
 * Rows are never deleted. The money itself moves only through the journal (kind `payout` /
 * `payout_return`), whose entries now point at their item by a foreign key, at most once per kind.
 *
 *   batch: draft → submitted → approved → executed; draft|submitted → cancelled; submitted → rejected
 *   item:  pending → paid → returned; pending → failed
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE payout_batches (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL REFERENCES courts(id),
      status text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft','submitted','approved','rejected','cancelled','executed')),
      note text CHECK (length(note) BETWEEN 1 AND 1000),
      item_count integer NOT NULL CHECK (item_count BETWEEN 1 AND 10000),
      case_count integer NOT NULL CHECK (case_count BETWEEN 1 AND item_count),
      total_amount numeric(20,2) NOT NULL CHECK (total_amount > 0),
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      submitted_by uuid REFERENCES users(id),
      submitted_at timestamptz,
      approved_by uuid REFERENCES users(id),
      approved_at timestamptz,
      rejected_by uuid REFERENCES users(id),
      rejected_at timestamptz,
      reject_reason text CHECK (length(reject_reason) BETWEEN 1 AND 1000),
      cancelled_by uuid REFERENCES users(id),
      cancelled_at timestamptz,
      cancel_reason text CHECK (length(cancel_reason) BETWEEN 1 AND 1000),
      executed_by uuid REFERENCES users(id),
      executed_at timestamptz,
      paid_on date,
      CHECK (status <> 'draft' OR (submitted_at IS NULL AND cancelled_at IS NULL)),
      CHECK (status IN ('draft','cancelled') OR submitted_at IS NOT NULL),
      CHECK ((submitted_at IS NULL) = (submitted_by IS NULL)),
      CHECK ((status IN ('approved','executed')) = (approved_at IS NOT NULL AND approved_by IS NOT NULL)),
      CHECK ((status = 'rejected') = (rejected_at IS NOT NULL AND rejected_by IS NOT NULL AND reject_reason IS NOT NULL)),
      CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancelled_by IS NOT NULL)),
      CHECK ((status = 'executed') = (executed_at IS NOT NULL AND executed_by IS NOT NULL AND paid_on IS NOT NULL)),
      -- Four eyes: neither the clerk who made the batch nor the one who submitted it approves or pays it.
      CHECK (approved_by IS NULL OR (approved_by <> created_by AND approved_by <> submitted_by)),
      CHECK (executed_by IS NULL OR (executed_by <> created_by AND executed_by <> submitted_by))
    )`);
  await knex.raw(`CREATE UNIQUE INDEX payout_batches_court_id_id_idx ON payout_batches (court_id, id)`);
  await knex.raw(`CREATE INDEX payout_batches_list_idx ON payout_batches (court_id, created_at DESC, id DESC)`);
  await knex.raw(`CREATE INDEX payout_batches_status_idx ON payout_batches (court_id, status, created_at DESC, id DESC)`);

  await knex.raw(`
    CREATE TABLE payout_items (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      batch_id uuid NOT NULL,
      position integer NOT NULL CHECK (position >= 0),
      case_id uuid NOT NULL,
      party_id uuid NOT NULL REFERENCES parties(id),
      amount numeric(20,2) NOT NULL CHECK (amount > 0),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','paid','failed','returned')),
      payee_name text,
      payee_bank_name text,
      payee_account_name text,
      payee_account_number text,
      bank_reference text CHECK (length(bank_reference) BETWEEN 1 AND 100),
      failure_reason text CHECK (length(failure_reason) BETWEEN 1 AND 1000),
      returned_on date,
      return_reason text CHECK (length(return_reason) BETWEEN 1 AND 1000),
      returned_by uuid REFERENCES users(id),
      returned_at timestamptz,
      FOREIGN KEY (court_id, batch_id) REFERENCES payout_batches (court_id, id),
      FOREIGN KEY (court_id, case_id) REFERENCES cases (court_id, id),
      UNIQUE (batch_id, position),
      CHECK ((payee_account_number IS NULL) = (payee_bank_name IS NULL)
             AND (payee_account_number IS NULL) = (payee_account_name IS NULL)
             AND (payee_account_number IS NULL) = (payee_name IS NULL)),
      CHECK (status = 'pending' OR payee_account_number IS NOT NULL),
      CHECK ((status = 'failed') = (failure_reason IS NOT NULL)),
      CHECK ((status = 'returned') = (returned_on IS NOT NULL AND return_reason IS NOT NULL AND returned_by IS NOT NULL))
    )`);
  await knex.raw(`CREATE INDEX payout_items_case_idx ON payout_items (court_id, case_id)`);

  await knex.raw(`
    CREATE FUNCTION payout_batches_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'payout batches are never deleted' USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF (NEW.id, NEW.court_id, NEW.note, NEW.item_count, NEW.case_count, NEW.total_amount, NEW.created_by, NEW.created_at)
         IS DISTINCT FROM
         (OLD.id, OLD.court_id, OLD.note, OLD.item_count, OLD.case_count, OLD.total_amount, OLD.created_by, OLD.created_at) THEN
        RAISE EXCEPTION 'a payout batch''s court, note, totals and creator never change' USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'draft' AND NEW.status IN ('submitted','cancelled')) OR
           (OLD.status = 'submitted' AND NEW.status IN ('approved','rejected','cancelled')) OR
           (OLD.status = 'approved' AND NEW.status = 'executed')) THEN
        RAISE EXCEPTION 'payout batch % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER payout_batches_guarded BEFORE UPDATE OR DELETE ON payout_batches
    FOR EACH ROW EXECUTE FUNCTION payout_batches_guard()`);

  await knex.raw(`
    CREATE FUNCTION payout_items_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'payout items are never deleted' USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF (NEW.id, NEW.court_id, NEW.batch_id, NEW.position, NEW.case_id, NEW.party_id, NEW.amount)
         IS DISTINCT FROM (OLD.id, OLD.court_id, OLD.batch_id, OLD.position, OLD.case_id, OLD.party_id, OLD.amount) THEN
        RAISE EXCEPTION 'a payout item''s case, party and amount never change' USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF OLD.payee_account_number IS NOT NULL AND
         (NEW.payee_name, NEW.payee_bank_name, NEW.payee_account_name, NEW.payee_account_number)
         IS DISTINCT FROM (OLD.payee_name, OLD.payee_bank_name, OLD.payee_account_name, OLD.payee_account_number) THEN
        RAISE EXCEPTION 'a payout item''s payee account is written once' USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'pending' AND NEW.status IN ('paid','failed')) OR
           (OLD.status = 'paid' AND NEW.status = 'returned')) THEN
        RAISE EXCEPTION 'payout item % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER payout_items_guarded BEFORE UPDATE OR DELETE ON payout_items
    FOR EACH ROW EXECUTE FUNCTION payout_items_guard()`);
  for (const table of ["payout_batches", "payout_items"]) {
    await knex.raw(`
      CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  // The journal points at the item it pays or returns, and pays or returns an item at most once.
  await knex.raw(`
    ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_payout_item_fk
      FOREIGN KEY (payout_item_id) REFERENCES payout_items(id)`);
  await knex.raw(`
    CREATE UNIQUE INDEX journal_entries_payout_item_once_idx ON journal_entries (payout_item_id, kind)
      WHERE payout_item_id IS NOT NULL`);
  await knex.raw(`
    ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_payout_item_kind
      CHECK ((kind IN ('payout','payout_return')) = (payout_item_id IS NOT NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_payout_item_kind`);
  await knex.raw(`DROP INDEX journal_entries_payout_item_once_idx`);
  await knex.raw(`ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_payout_item_fk`);
  await knex.raw(`DROP TABLE payout_items`);
  await knex.raw(`DROP TABLE payout_batches`);
  await knex.raw(`DROP FUNCTION payout_items_guard()`);
  await knex.raw(`DROP FUNCTION payout_batches_guard()`);
}
