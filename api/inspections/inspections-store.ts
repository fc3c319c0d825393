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
  page?: { after: string[] | null; limit: number };
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

  /** By foundOn; `page` keyset-pages the list (cursor: found_on, created_at, id), without it the first 2,000 (the ledger's). */
  async listFindings(knex: Knex, f: FindingFilter): Promise<(FindingRow & { cursor_at: string })[]> {
    const q = knex("findings")
      .whereIn("court_id", f.courtIds)
      .orderBy([{ column: "found_on" }, { column: "created_at" }, { column: "id" }])
      .limit(f.page ? f.page.limit + 1 : 2000)
      .select("*", knex.raw("created_at::text AS cursor_at"));
    if (f.page?.after) q.whereRaw("(found_on, created_at, id) > (?::date, ?::timestamptz, ?::uuid)", f.page.after);
    if (f.inspectionId) q.where("inspection_id", f.inspectionId);
    if (f.status === "overdue") q.whereNot("status", "verified").where("rectify_by", "<", f.today);
    else if (f.status) q.where("status", f.status);
    return q;
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
