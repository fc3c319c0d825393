import type { Knex } from "knex";
import { bulkInsert, type Cell } from "../../db/bulk-insert";

const LINE_COLUMNS = [
  ["id", "uuid"], ["court_id", "uuid"], ["statement_id", "uuid"], ["line_no", "integer"], ["fingerprint", "text"], ["value_date", "date"], ["direction", "text"],
  ["amount", "numeric"], ["balance_after", "numeric"], ["counterparty_name", "text"], ["counterparty_account", "text"], ["counterparty_bank", "text"],
  ["remark", "text"], ["bank_reference", "text"], ["virtual_account", "text"], ["outcome", "text"], ["case_id", "uuid"], ["receipt_id", "uuid"],
  ["unidentified_fund_id", "uuid"], ["payout_item_id", "uuid"],
] as const;

export interface StatementRow {
  id: string;
  court_id: string;
  account_number: string;
  layout: string;
  file_sha256: string;
  file_kind: "csv" | "xlsx";
  line_count: number;
  matched: number;
  unidentified: number;
  duplicates: number;
  debits: number;
  opening_balance: string | null;
  closing_balance: string | null;
  period_from: string | null;
  period_to: string | null;
  imported_at: Date;
  imported_by: string;
}

export interface StatementLineRow {
  id: string;
  court_id: string;
  statement_id: string;
  line_no: number;
  fingerprint: string;
  value_date: string;
  direction: "credit" | "debit";
  amount: string;
  balance_after: string | null;
  counterparty_name: string | null;
  counterparty_account: string | null;
  counterparty_bank: string | null;
  remark: string | null;
  bank_reference: string | null;
  virtual_account: string | null;
  outcome: "receipt" | "already_recorded" | "unidentified" | "payout" | "unmatched_debit";
  case_id: string | null;
  receipt_id: string | null;
  unidentified_fund_id: string | null;
  payout_item_id: string | null;
}

export interface CaseMatchRow {
  id: string;
  status: "open" | "closed";
  filed_on: string;
  case_number_key: string;
  virtual_account_number: string | null;
}

export interface PaidItemRow {
  id: string;
  batch_id: string;
  position: number;
  amount: string;
  bank_reference: string | null;
}

const CHUNK = 5000;

async function chunked<T>(values: T[], work: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < values.length; i += CHUNK) await work(values.slice(i, i + CHUNK));
}

export const statementsStore = {
  async findByDigest(knex: Knex, courtId: string, sha: string): Promise<StatementRow | undefined> {
    return knex<StatementRow>("bank_statements").where({ court_id: courtId, file_sha256: sha }).first();
  },

  async find(knex: Knex, id: string): Promise<StatementRow | undefined> {
    return knex<StatementRow>("bank_statements").where({ id }).first();
  },

  async knownFingerprints(knex: Knex, courtId: string, fingerprints: string[]): Promise<Set<string>> {
    const known = new Set<string>();
    await chunked(fingerprints, async (chunk) => {
      const rows = await knex("bank_statement_lines").where({ court_id: courtId }).whereIn("fingerprint", chunk).select<{ fingerprint: string }[]>("fingerprint");
      for (const r of rows) known.add(r.fingerprint);
    });
    return known;
  },

  async casesByVirtualAccount(knex: Knex, courtId: string, numbers: string[]): Promise<CaseMatchRow[]> {
    const found: CaseMatchRow[] = [];
    await chunked(numbers, async (chunk) => {
      found.push(...(await knex("cases").where({ court_id: courtId }).whereIn("virtual_account_number", chunk).select<CaseMatchRow[]>("id", "status", "filed_on", "case_number_key", "virtual_account_number")));
    });
    return found;
  },

  async casesByNumberKey(knex: Knex, courtId: string, keys: string[]): Promise<CaseMatchRow[]> {
    const found: CaseMatchRow[] = [];
    await chunked(keys, async (chunk) => {
      found.push(...(await knex("cases").where({ court_id: courtId }).whereIn("case_number_key", chunk).select<CaseMatchRow[]>("id", "status", "filed_on", "case_number_key", "virtual_account_number")));
    });
    return found;
  },

  async caseStatuses(tx: Knex.Transaction, ids: string[]): Promise<Map<string, "open" | "closed">> {
    const result = new Map<string, "open" | "closed">();
    await chunked(ids, async (chunk) => {
      const rows = await tx("cases").whereIn("id", chunk).select<{ id: string; status: "open" | "closed" }[]>("id", "status");
      for (const r of rows) result.set(r.id, r.status);
    });
    return result;
  },

  /** Paid items of the court no statement line has matched yet, by their bank reference or by (batch prefix, position). */
  async unmatchedPaidItems(tx: Knex.Transaction, courtId: string, opts: { references: string[]; cef: { batchPrefix: string; position: number }[] }): Promise<PaidItemRow[]> {
    const rows: PaidItemRow[] = [];
    const base = () =>
      tx("payout_items as i")
        .where("i.court_id", courtId)
        .where("i.status", "paid")
        .whereNotExists(tx("bank_statement_lines as l").whereRaw("l.payout_item_id = i.id"))
        .select<PaidItemRow[]>("i.id", "i.batch_id", "i.position", "i.amount", "i.bank_reference");
    await chunked(opts.references, async (chunk) => {
      rows.push(...(await base().whereIn("i.bank_reference", chunk)));
    });
    await chunked(opts.cef, async (chunk) => {
      const q = base();
      q.where((w) => {
        for (const c of chunk) w.orWhere((x) => x.whereRaw("i.batch_id::text LIKE ?", [`${c.batchPrefix}%`]).where("i.position", c.position));
      });
      rows.push(...(await q));
    });
    return rows;
  },

  async insertStatement(tx: Knex.Transaction, row: Omit<StatementRow, "imported_at">): Promise<StatementRow> {
    const [inserted] = await tx("bank_statements").insert(row).returning<StatementRow[]>("*");
    return inserted;
  },

  async insertLines(tx: Knex.Transaction, rows: StatementLineRow[]): Promise<void> {
    await chunked(rows, async (chunk) => {
      await bulkInsert(tx, "bank_statement_lines", LINE_COLUMNS, chunk as unknown as Record<string, Cell>[]);
    });
  },

  async linesOf(knex: Knex, statementId: string, afterLineNo: number, limit: number): Promise<StatementLineRow[]> {
    return knex<StatementLineRow>("bank_statement_lines").where({ statement_id: statementId }).where("line_no", ">", afterLineNo).orderBy("line_no").limit(limit + 1);
  },

  async insertMapping(tx: Knex.Transaction, row: { id: string; court_id: string; name: string; mapping: unknown; created_by: string }) {
    const inserted = await tx("bank_statement_mappings")
      .insert({ ...row, mapping: JSON.stringify(row.mapping) })
      .onConflict(["court_id", "name"])
      .ignore()
      .returning<{ id: string; court_id: string; name: string; mapping: unknown; created_at: Date; created_by: string }[]>("*");
    return inserted[0];
  },

  async findMapping(knex: Knex, id: string): Promise<{ id: string; court_id: string; name: string; mapping: unknown } | undefined> {
    return knex("bank_statement_mappings").where({ id }).first();
  },
};
