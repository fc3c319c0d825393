import { Knex } from "knex";

/**
 * 调账 (issue 13): money credited to the wrong case moves to the right case of the same court,
 * asked for by finance and approved by a second person. On approval the receipt is reversed in
 * its case and a new receipt with the same arrival date and deadline is made in the other — a
 * pair of entries; the bank does not move.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE receipt_transfers (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL REFERENCES courts(id),
      receipt_id uuid NOT NULL REFERENCES receipts(id),
      from_case_id uuid NOT NULL,
      to_case_id uuid NOT NULL,
      amount numeric(20,2) NOT NULL CHECK (amount > 0),
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected')),
      requested_by uuid NOT NULL REFERENCES users(id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      reject_reason text CHECK (length(reject_reason) BETWEEN 1 AND 1000),
      new_receipt_id uuid REFERENCES receipts(id),
      FOREIGN KEY (court_id, from_case_id) REFERENCES cases (court_id, id),
      FOREIGN KEY (court_id, to_case_id) REFERENCES cases (court_id, id),
      CHECK (from_case_id <> to_case_id),
      CHECK (decided_by IS NULL OR decided_by <> requested_by),
      CHECK ((status = 'pending') = (decided_by IS NULL AND decided_at IS NULL)),
      CHECK ((status = 'approved') = (new_receipt_id IS NOT NULL)),
      CHECK ((status = 'rejected') = (reject_reason IS NOT NULL))
    )`);
  // At most one open or done transfer per receipt.
  await knex.raw(`CREATE UNIQUE INDEX receipt_transfers_once_idx ON receipt_transfers (receipt_id) WHERE status IN ('pending','approved')`);
  await knex.raw(`CREATE INDEX receipt_transfers_pending_idx ON receipt_transfers (court_id, status, requested_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE receipt_transfers`);
}
