import type { Knex } from "knex";
import type { BatchStatus } from "./payouts.schemas";

export type ItemStatus = "pending" | "paid" | "failed" | "returned";

export interface BatchRow {
  id: string;
  court_id: string;
  status: BatchStatus;
  note: string | null;
  item_count: number;
  case_count: number;
  total_amount: string;
  created_by: string;
  created_at: Date;
  submitted_by: string | null;
  submitted_at: Date | null;
  approved_by: string | null;
  approved_at: Date | null;
  rejected_by: string | null;
  rejected_at: Date | null;
  reject_reason: string | null;
  cancelled_by: string | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  executed_by: string | null;
  executed_at: Date | null;
  paid_on: string | null;
  /** Approval by amount (issue 14): fixed at the first approval, and every level's approval. */
  required_approvals: number | null;
  approval_trail: { level: number; approvedBy: string; approvedAt: string }[];
}

export interface ItemRow {
  id: string;
  court_id: string;
  batch_id: string;
  position: number;
  case_id: string;
  /** null only for an execution fee item (issue 14): its payee is the court's fee account. */
  party_id: string | null;
  agent_id: string | null;
  amount: string;
  status: ItemStatus;
  payee_name: string | null;
  payee_bank_name: string | null;
  payee_account_name: string | null;
  payee_account_number: string | null;
  bank_reference: string | null;
  failure_reason: string | null;
  returned_on: string | null;
  return_reason: string | null;
  returned_by: string | null;
  returned_at: Date | null;
  kind?: "applicant" | "refund" | "execution_fee"; // issue 13
  refund_reason?: "surplus" | "mistaken_payment" | "unclaimed" | null;
}

export type NewItemRow = Pick<ItemRow, "id" | "court_id" | "batch_id" | "position" | "case_id" | "party_id" | "agent_id" | "amount" | "kind" | "refund_reason">;

/** What a batch's items must be checked against: the cases and parties they name. */
export interface PartyFacts {
  id: string;
  case_id: string;
  role: "applicant" | "debtor";
  has_account: boolean;
}
export interface CaseFacts {
  id: string;
  court_id: string;
  status: "open" | "closed";
}

export interface StatusTotal {
  batch_id: string;
  status: ItemStatus;
  items: string;
  amount: string;
}

/** Rows per INSERT or VALUES list: well under PostgreSQL's 65,535 bind parameters. */
const CHUNK = 2000;

export const payoutsStore = {
  async insertBatch(tx: Knex.Transaction, row: Pick<BatchRow, "id" | "court_id" | "note" | "item_count" | "case_count" | "total_amount" | "created_by">): Promise<BatchRow> {
    const [inserted] = await tx("payout_batches").insert(row).returning<BatchRow[]>("*");
    return inserted;
  },

  async insertItems(tx: Knex.Transaction, rows: NewItemRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) await tx("payout_items").insert(rows.slice(i, i + CHUNK));
  },

  async findBatch(knex: Knex, id: string): Promise<BatchRow | undefined> {
    return knex<BatchRow>("payout_batches").where({ id }).first();
  },

  /** The batch row is the batch's lock: every change to a batch or its items takes it first. */
  async lockBatch(tx: Knex.Transaction, id: string): Promise<BatchRow | undefined> {
    return tx<BatchRow>("payout_batches").where({ id }).forUpdate().first();
  },

  async updateBatch(tx: Knex.Transaction, id: string, patch: Partial<Record<keyof BatchRow, unknown>>): Promise<BatchRow> {
    const [row] = await tx("payout_batches").where({ id }).update(patch).returning<BatchRow[]>("*");
    return row;
  },

  async itemsOf(knex: Knex, batchId: string): Promise<ItemRow[]> {
    return knex<ItemRow>("payout_items").where({ batch_id: batchId }).orderBy("position");
  },

  async findItem(knex: Knex, batchId: string, itemId: string): Promise<ItemRow | undefined> {
    return knex<ItemRow>("payout_items").where({ id: itemId, batch_id: batchId }).first();
  },

  /**
   * The one check of what a batch may pay (at creation and again at submit): for each item, in
   * order, the first reason it cannot be paid, or nothing. An item pays an applicant of an open
   * case of the batch's court who has a bank account on file — or, naming `agentId`, that
   * applicant's approved agent with special authority to collect and an account on file.
   */
  async unpayable(knex: Knex, courtId: string, items: { caseId: string; partyId?: string | null; agentId?: string | null; kind?: string }[]): Promise<UnpayableItem[]> {
    if (items.length === 0) return [];
    const { rows } = await knex.raw<{ rows: UnpayableItem[] }>(
      `SELECT (x.n - 1)::int AS position,
              CASE WHEN c.id IS NULL OR c.court_id <> ?::uuid THEN 'no_case'
                   WHEN c.status <> 'open' THEN 'case_closed'
                   WHEN x.kind = 'execution_fee' THEN NULL
                   WHEN p.id IS NULL OR p.case_id <> c.id THEN 'not_a_party'
                   WHEN x.kind <> 'refund' AND p.role <> 'applicant' THEN 'not_an_applicant'
                   WHEN x.kind = 'refund' AND p.role <> 'debtor' THEN 'not_a_debtor'
                   WHEN x.agent_id IS NOT NULL AND (a.id IS NULL OR a.party_id <> p.id OR a.status <> 'approved' OR NOT a.special_authority) THEN 'not_entitled'
                   WHEN COALESCE(a.bank_account_number, p.bank_account_number) IS NULL
                     OR (x.agent_id IS NOT NULL AND a.bank_account_number IS NULL) THEN 'no_account' END AS problem
         FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[]) WITH ORDINALITY AS x(case_id, party_id, agent_id, kind, n)
         LEFT JOIN cases c ON c.id = x.case_id
         LEFT JOIN parties p ON p.id = x.party_id
         LEFT JOIN party_agents a ON a.id = x.agent_id
        WHERE c.id IS NULL OR c.court_id <> ?::uuid OR c.status <> 'open'
           -- An execution fee item (issue 14) names no party: its payee is the court's fee account.
           OR (x.kind <> 'execution_fee' AND (p.id IS NULL OR p.case_id <> c.id
           OR p.role <> (CASE WHEN x.kind = 'refund' THEN 'debtor' ELSE 'applicant' END)
           OR (x.agent_id IS NULL AND p.bank_account_number IS NULL)
           OR (x.agent_id IS NOT NULL AND (a.id IS NULL OR a.party_id <> p.id OR a.status <> 'approved' OR NOT a.special_authority OR a.bank_account_number IS NULL))))
        ORDER BY x.n`,
      [courtId, items.map((i) => i.caseId), items.map((i) => i.partyId ?? null) as unknown as string[], items.map((i) => i.agentId ?? null) as unknown as string[], items.map((i) => i.kind ?? "applicant"), courtId],
    );
    return rows;
  },

  /**
   * Writes each item's payee, the party's bank account on file at this moment (or the agent's, for
   * an item that pays the party's agent; the court's fee account for an execution fee item, issue
   * 14); answers the items in batch order.
   */
  async copyPayees(tx: Knex.Transaction, batchId: string, feeAccount: { bankName: string; accountName: string; accountNumber: string } | null): Promise<ItemRow[]> {
    const { rows } = await tx.raw<{ rows: ItemRow[] }>(
      `UPDATE payout_items i
          SET payee_name = s.name, payee_bank_name = s.bank_name,
              payee_account_name = s.account_name, payee_account_number = s.account_number
         FROM (SELECT j.id,
                      CASE WHEN j.agent_id IS NULL THEN p.name ELSE a.name END AS name,
                      CASE WHEN j.agent_id IS NULL THEN p.bank_name ELSE a.bank_name END AS bank_name,
                      CASE WHEN j.agent_id IS NULL THEN p.bank_account_name ELSE a.bank_account_name END AS account_name,
                      CASE WHEN j.agent_id IS NULL THEN p.bank_account_number ELSE a.bank_account_number END AS account_number
                 FROM payout_items j
                 JOIN parties p ON p.id = j.party_id
                 LEFT JOIN party_agents a ON a.id = j.agent_id
                WHERE j.batch_id = ?) s
        WHERE s.id = i.id
       RETURNING i.*`,
      [batchId],
    );
    if (feeAccount) {
      const fees = await tx.raw<{ rows: ItemRow[] }>(
        `UPDATE payout_items SET payee_name = ?, payee_bank_name = ?, payee_account_name = ?, payee_account_number = ?
          WHERE batch_id = ? AND kind = 'execution_fee'
         RETURNING *`,
        [feeAccount.accountName, feeAccount.bankName, feeAccount.accountName, feeAccount.accountNumber, batchId],
      );
      rows.push(...fees.rows);
    }
    return rows.sort((a, b) => a.position - b.position);
  },

  /** Just what paying needs, without the payee columns. */
  async itemsForPayment(knex: Knex, batchId: string): Promise<Pick<ItemRow, "id" | "court_id" | "case_id" | "amount" | "position">[]> {
    return knex("payout_items").where({ batch_id: batchId }).orderBy("position").select("id", "court_id", "case_id", "amount", "position");
  },

  /** Every pending item is paid; answers the items in batch order. */
  async markAllPaid(tx: Knex.Transaction, batchId: string): Promise<ItemRow[]> {
    const rows = await tx("payout_items").where({ batch_id: batchId, status: "pending" }).update({ status: "paid" }).returning<ItemRow[]>("*");
    return rows.sort((a, b) => a.position - b.position);
  },

  /** Sets each item's outcome, a statement per 2,000 items; answers the items in batch order. */
  async applyOutcomes(
    tx: Knex.Transaction,
    batchId: string,
    outcomes: { itemId: string; status: "paid" | "failed"; bankReference: string | null; failureReason: string | null }[],
  ): Promise<ItemRow[]> {
    const updated: ItemRow[] = [];
    for (let i = 0; i < outcomes.length; i += CHUNK) {
      const chunk = outcomes.slice(i, i + CHUNK);
      const values = chunk.map(() => "(?::uuid, ?::text, ?::text, ?::text)").join(", ");
      const { rows } = await tx.raw<{ rows: ItemRow[] }>(
        `UPDATE payout_items i SET status = o.status, bank_reference = o.bank_reference, failure_reason = o.failure_reason
           FROM (VALUES ${values}) AS o(id, status, bank_reference, failure_reason)
          WHERE i.id = o.id AND i.batch_id = ? AND i.status = 'pending'
         RETURNING i.*`,
        [...chunk.flatMap((o) => [o.itemId, o.status, o.bankReference, o.failureReason]), batchId],
      );
      updated.push(...rows);
    }
    return updated.sort((a, b) => a.position - b.position);
  },

  async markReturned(tx: Knex.Transaction, itemId: string, r: { returnedOn: string; reason: string; by: string }): Promise<void> {
    await tx("payout_items")
      .where({ id: itemId, status: "paid" })
      .update({ status: "returned", returned_on: r.returnedOn, return_reason: r.reason, returned_by: r.by, returned_at: tx.fn.now() });
  },

  /** Item counts and amounts per batch and status, for lists. */
  async statusTotals(knex: Knex, batchIds: string[]): Promise<StatusTotal[]> {
    if (batchIds.length === 0) return [];
    const { rows } = await knex.raw<{ rows: StatusTotal[] }>(
      `SELECT batch_id, status, count(*)::text AS items, sum(amount)::text AS amount
         FROM payout_items WHERE batch_id = ANY(?::uuid[]) GROUP BY batch_id, status`,
      [batchIds],
    );
    return rows;
  },

  async list(
    knex: Knex,
    f: { courtIds: string[]; status?: BatchStatus; createdFrom?: string; createdTo?: string; after: string[] | null; limit: number },
  ): Promise<(BatchRow & { cursor_at: string })[]> {
    const q = knex("payout_batches as b")
      .whereIn("b.court_id", f.courtIds)
      .orderBy([{ column: "b.created_at", order: "desc" }, { column: "b.id", order: "desc" }])
      .limit(f.limit + 1)
      .select<(BatchRow & { cursor_at: string })[]>("b.*", knex.raw("b.created_at::text AS cursor_at"));
    if (f.status) q.where("b.status", f.status);
    // Business dates are China time, whatever the session's time zone.
    if (f.createdFrom) q.whereRaw("b.created_at >= (?::date)::timestamp AT TIME ZONE 'Asia/Shanghai'", [f.createdFrom]);
    if (f.createdTo) q.whereRaw("b.created_at < (?::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'", [f.createdTo]);
    if (f.after) q.whereRaw("(b.created_at, b.id) < (?::timestamptz, ?::uuid)", f.after);
    return q;
  },

  async paymentFileRows(knex: Knex, batchId: string): Promise<PaymentFileRow[]> {
    return knex("payout_items as i")
      .join("cases as c", "c.id", "i.case_id")
      .where("i.batch_id", batchId)
      .orderBy("i.position")
      .select<PaymentFileRow[]>("i.id", "i.position", "i.amount", "i.kind", "i.payee_name", "i.payee_account_name", "i.payee_bank_name", "i.payee_account_number", "c.case_number");
  },
};

export interface PaymentFileRow {
  id: string;
  position: number;
  amount: string;
  kind: "applicant" | "refund" | "execution_fee";
  payee_name: string;
  payee_account_name: string;
  payee_bank_name: string;
  payee_account_number: string;
  case_number: string;
}

export type UnpayableProblem = "no_case" | "case_closed" | "not_a_party" | "not_an_applicant" | "not_a_debtor" | "not_entitled" | "no_account";

export interface UnpayableItem {
  position: number;
  problem: UnpayableProblem;
}
