import type { Knex } from "knex";
import type { EntityType, FindingCategory, FindingStatus } from "./inspections.schemas";

export interface InspectionRow {
  id: string;
  court_id: string;
  name: string;
  from_on: string;
  to_on: string;
  created_at: Date;
  created_by: string;
}

export interface FindingRow {
  id: string;
  court_id: string;
  inspection_id: string;
  category: FindingCategory;
  description: string;
  severity: "low" | "medium" | "high";
  entities: { type: EntityType; id: string }[];
  responsible_user_id: string | null;
  complaint_id: string | null;
  found_on: string;
  rectify_by: string;
  status: FindingStatus;
  created_at: Date;
  created_by: string;
}

export interface RectificationRow {
  id: string;
  finding_id: string;
  description: string;
  evidence: { kind: "document" | "record" | "photo" | "other"; reference: string }[];
  completed_on: string | null;
  created_at: Date;
  created_by: string;
}

export interface VerificationRow {
  id: string;
  finding_id: string;
  rectification_id: string;
  accepted: boolean;
  note: string;
  created_at: Date;
  created_by: string;
}

/** Where each kind of entity a finding may name lives, and how it belongs to a court. */
const ENTITY_TABLES: Record<EntityType, { table: string; id: string; court: string }> = {
  case: { table: "cases", id: "id", court: "court_id" },
  receipt: { table: "receipts", id: "id", court: "court_id" },
  batch: { table: "payout_batches", id: "id", court: "court_id" },
  listing: { table: "listings", id: "id", court: "court_id" },
  freeze: { table: "freezes", id: "id", court: "court_id" },
  user: { table: "user_courts", id: "user_id", court: "court_id" },
};

export interface FindingFilter {
  courtIds: string[];
  inspectionId?: string;
  status?: FindingStatus | "overdue";
  today: string;
  page: { after: string[] | null; limit: number };
}

/** One finding as the rectification ledger lists it (整改台账). */
export interface LedgerFindingRow {
  id: string;
  category: FindingCategory;
  severity: "low" | "medium" | "high";
  description: string;
  found_on: string;
  rectify_by: string;
  status: FindingStatus;
  overdue: boolean;
  /** The completion date of the latest rectification that has one. */
  completed_on: string | null;
  /** created_at as text, exact to the microsecond: the keyset cursor's middle member. */
  cursor_at: string;
}

export interface LedgerFilter {
  courtId: string;
  inspectionId: string;
  today: string;
}

/**
 * The ledger's rows in foundOn order (ties by created_at, id), with named bindings `courtId`,
 * `inspectionId`, `today`; with `keyset`, only the rows after `afterOn`, `afterAt`, `afterId`.
 */
export function ledgerFindingsSql(opts: { keyset: boolean }): string {
  return `
  SELECT f.id, f.category, f.severity, f.description, f.found_on, f.rectify_by, f.status,
         (f.status <> 'verified' AND f.rectify_by < :today::date) AS overdue,
         (SELECT r.completed_on FROM finding_rectifications r
           WHERE r.finding_id = f.id AND r.completed_on IS NOT NULL
           ORDER BY r.created_at DESC, r.id DESC LIMIT 1) AS completed_on,
         f.created_at::text AS cursor_at
    FROM findings f
   WHERE f.court_id = :courtId::uuid AND f.inspection_id = :inspectionId::uuid
     ${opts.keyset ? "AND (f.found_on, f.created_at, f.id) > (:afterOn::date, :afterAt::timestamptz, :afterId::uuid)" : ""}
   ORDER BY f.found_on, f.created_at, f.id`;
}

export const inspectionsStore = {
  async insertInspection(tx: Knex.Transaction, row: Omit<InspectionRow, "created_at">): Promise<InspectionRow> {
    const [r] = await tx("inspections").insert(row).returning<InspectionRow[]>("*");
    return r;
  },

  async findInspection(knex: Knex, id: string): Promise<InspectionRow | undefined> {
    return knex("inspections").where({ id }).first<InspectionRow | undefined>();
  },

  async listInspections(knex: Knex, courtIds: string[]): Promise<InspectionRow[]> {
    return knex("inspections").whereIn("court_id", courtIds).orderBy([{ column: "from_on", order: "desc" }, { column: "id" }]).limit(500);
  },

  /** The entities (of one type) among `ids` that exist in the court. */
  async existingIn(knex: Knex, courtId: string, type: EntityType, ids: string[]): Promise<Set<string>> {
    const t = ENTITY_TABLES[type];
    const rows = await knex(t.table).where(t.court, courtId).whereIn(t.id, ids).select<{ id: string }[]>(`${t.id} as id`);
    return new Set(rows.map((r) => r.id));
  },

  async insertFinding(tx: Knex.Transaction, row: Omit<FindingRow, "status" | "created_at">): Promise<void> {
    await tx("findings").insert({ ...row, entities: JSON.stringify(row.entities) });
  },

  async findFinding(knex: Knex, id: string): Promise<FindingRow | undefined> {
    return knex("findings").where({ id }).first<FindingRow | undefined>();
  },

  async lockFinding(tx: Knex.Transaction, id: string): Promise<FindingRow | undefined> {
    return tx("findings").where({ id }).forUpdate().first<FindingRow | undefined>();
  },

  async setStatus(tx: Knex.Transaction, id: string, status: FindingStatus, verifiedBy: string | null): Promise<void> {
    await tx("findings")
      .where({ id })
      .update({ status, verified_by: verifiedBy, verified_at: verifiedBy ? tx.fn.now() : null });
  },

  /** By foundOn, a page at a time (keyset cursor: found_on, created_at, id); one row more than `limit`, to tell whether another page follows. */
  async listFindings(knex: Knex, f: FindingFilter): Promise<(FindingRow & { cursor_at: string })[]> {
    const q = knex("findings")
      .whereIn("court_id", f.courtIds)
      .orderBy([{ column: "found_on" }, { column: "created_at" }, { column: "id" }])
      .limit(f.page.limit + 1)
      .select("*", knex.raw("created_at::text AS cursor_at"));
    if (f.page.after) q.whereRaw("(found_on, created_at, id) > (?::date, ?::timestamptz, ?::uuid)", f.page.after);
    if (f.inspectionId) q.where("inspection_id", f.inspectionId);
    if (f.status === "overdue") q.whereNot("status", "verified").where("rectify_by", "<", f.today);
    else if (f.status) q.where("status", f.status);
    return q;
  },

  /** The ledger's figures, counted by the database over every finding of the inspection: per category and status, and how many of those are overdue. */
  async countFindings(knex: Knex, f: LedgerFilter): Promise<{ category: FindingCategory; status: FindingStatus; n: number; overdue: number }[]> {
    const { rows } = await knex.raw<{ rows: { category: FindingCategory; status: FindingStatus; n: number; overdue: number }[] }>(
      `SELECT category, status, count(*)::int AS n,
              (count(*) FILTER (WHERE status <> 'verified' AND rectify_by < :today::date))::int AS overdue
         FROM findings
        WHERE court_id = :courtId::uuid AND inspection_id = :inspectionId::uuid
        GROUP BY category, status`,
      { ...f },
    );
    return rows;
  },

  /** A page of the ledger's rows after `after` (the last row's found_on, created_at, id); one row more than `limit`. */
  async ledgerFindings(knex: Knex, f: LedgerFilter & { after: string[] | null; limit: number }): Promise<LedgerFindingRow[]> {
    const [afterOn, afterAt, afterId] = f.after ?? [];
    const bindings = { courtId: f.courtId, inspectionId: f.inspectionId, today: f.today, limit: f.limit + 1, ...(f.after ? { afterOn, afterAt, afterId } : {}) };
    const { rows } = await knex.raw<{ rows: LedgerFindingRow[] }>(`${ledgerFindingsSql({ keyset: f.after !== null })} LIMIT :limit`, bindings);
    return rows;
  },

  async insertRectification(tx: Knex.Transaction, row: Omit<RectificationRow, "created_at"> & { court_id: string }): Promise<void> {
    await tx("finding_rectifications").insert({ ...row, evidence: JSON.stringify(row.evidence) });
  },

  async insertVerification(tx: Knex.Transaction, row: Omit<VerificationRow, "created_at"> & { court_id: string }): Promise<void> {
    await tx("finding_verifications").insert(row);
  },

  async rectificationsOf(knex: Knex, findingIds: string[]): Promise<RectificationRow[]> {
    if (findingIds.length === 0) return [];
    return knex("finding_rectifications").whereIn("finding_id", findingIds).orderBy([{ column: "created_at" }, { column: "id" }]);
  },

  async verificationsOf(knex: Knex, findingIds: string[]): Promise<VerificationRow[]> {
    if (findingIds.length === 0) return [];
    return knex("finding_verifications").whereIn("finding_id", findingIds).orderBy([{ column: "created_at" }, { column: "id" }]);
  },
};
