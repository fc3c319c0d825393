import type { Statement } from "../../db/prepared";
import type { Knex } from "knex";

export interface CourtSettingsRow {
  court_id: string;
  master_bank_name: string | null;
  master_account_name: string | null;
  master_account_number: string | null;
  fee_bank_name: string | null;
  fee_account_name: string | null;
  fee_account_number: string | null;
  virtual_account_prefix: string | null;
  disbursement_deadlines: { upTo?: string; days: number; kind: "calendar" | "working" }[];
  unidentified_claim_working_days: number;
  approval_levels: { above: string; levels: number }[];
  charge_execution_fee: boolean;
  updated_at: Date;
  updated_by: string;
}

export type CourtSettingsChange = Omit<CourtSettingsRow, "court_id" | "updated_at">;

export const courtSettingsStore = {
  /** The settings of a case's court, as a statement to send with the case's own (its rows: one or none). */
  ofCaseStatement(caseId: string): Statement {
    return { sql: "SELECT * FROM court_settings WHERE court_id = (SELECT court_id FROM cases WHERE id = ?)", bindings: [caseId] };
  },

  async find(knex: Knex, courtId: string): Promise<CourtSettingsRow | undefined> {
    return knex<CourtSettingsRow>("court_settings").where({ court_id: courtId }).first();
  },

  /** Locks the court's row (and its settings, if any) so that two changes apply one after the other. */
  async lockCourt(tx: Knex.Transaction, courtId: string): Promise<{ id: string; code: string; name: string; created_at: Date } | undefined> {
    return tx("courts").where({ id: courtId }).forUpdate().first("id", "code", "name", "created_at");
  },

  async save(tx: Knex.Transaction, courtId: string, row: CourtSettingsChange): Promise<CourtSettingsRow> {
    const values = {
      ...row,
      disbursement_deadlines: JSON.stringify(row.disbursement_deadlines),
      approval_levels: JSON.stringify(row.approval_levels),
      updated_at: tx.fn.now(),
    };
    const [saved] = await tx("court_settings")
      .insert({ court_id: courtId, ...values })
      .onConflict("court_id")
      .merge()
      .returning<CourtSettingsRow[]>("*");
    return saved;
  },

  async rename(tx: Knex.Transaction, courtId: string, name: string): Promise<void> {
    await tx("courts").where({ id: courtId }).update({ name });
  },

  async prefixTaken(knex: Knex, prefix: string, exceptCourtId: string): Promise<boolean> {
    return (await knex("court_settings").where({ virtual_account_prefix: prefix }).whereNot({ court_id: exceptCourtId }).first("court_id")) !== undefined;
  },
};
