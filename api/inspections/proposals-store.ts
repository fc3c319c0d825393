import type { Knex } from "knex";

export interface DecisionRow {
  id: string;
  court_id: string;
  inspection_id: string;
  key: string;
  decision: "accepted" | "discarded";
  reason: string | null;
  finding_id: string | null;
  decided_at: Date;
  decided_by: string;
}

export interface LapsedFreezeRow {
  id: string;
  case_id: string;
  case_number: string;
  asset_type: string;
  expires_on: string;
}

export const proposalsStore = {
  async decidedKeys(knex: Knex, courtId: string): Promise<Set<string>> {
    const rows = await knex("finding_proposal_decisions").where({ court_id: courtId }).select<{ key: string }[]>("key");
    return new Set(rows.map((r) => r.key));
  },

  async findDecision(knex: Knex, courtId: string, key: string): Promise<DecisionRow | undefined> {
    return knex("finding_proposal_decisions").where({ court_id: courtId, key }).first<DecisionRow | undefined>();
  },

  /** Two inspectors deciding one proposal at once: the second waits, then sees the first's decision. */
  async lockKey(tx: Knex.Transaction, courtId: string, key: string): Promise<void> {
    await tx.raw("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [`finding_proposal:${courtId}:${key}`]);
  },

  async insertDecision(tx: Knex.Transaction, row: Omit<DecisionRow, "decided_at">): Promise<DecisionRow> {
    const [r] = await tx("finding_proposal_decisions").insert(row).returning<DecisionRow[]>("*");
    return r;
  },

  /** Freezes of the court that lapsed in the period (their term ended before today, not renewed, not released). */
  async lapsedFreezes(knex: Knex, p: { courtId: string; from: string; to: string; today: string }): Promise<LapsedFreezeRow[]> {
    const { rows } = await knex.raw<{ rows: LapsedFreezeRow[] }>(
      `SELECT f.id, f.case_id, c.case_number, f.asset_type, f.expires_on::text AS expires_on
         FROM freezes f JOIN cases c ON c.id = f.case_id
        WHERE f.court_id = :courtId AND f.status = 'active'
          AND f.expires_on < :today::date AND f.expires_on BETWEEN :from::date AND :to::date
        ORDER BY f.expires_on, f.id
        LIMIT 2000`,
      p,
    );
    return rows;
  },
};
