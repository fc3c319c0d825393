import type { Knex } from "knex";
import { toAuditEvent } from "../audit/audit-service";
import type { ReadContext } from "../core/operation";
import { decodeCursor, toPage, type Page } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { loadCase } from "./cases-service";

type AuditEventRow = Parameters<typeof toAuditEvent>[0];

/**
 * What hangs on a case, as (entity type, entity id) pairs of the audit trail: the case, its
 * parties, receipts, payout batches and items that pay it, deferrals, bank account changes,
 * agents, listings with their objections, freezes, receipt transfers into or out of it and
 * unidentified funds claimed for it. One statement; each part by an index on
 * (court_id, case_id), and the events by (entity_type, entity_id, seq).
 */
const RELATED_SQL = `
  SELECT 'case'::text AS entity_type, :caseId::text AS entity_id
  UNION ALL SELECT 'party', id::text FROM parties WHERE court_id = :courtId AND case_id = :caseId
  -- a party removed as recorded by mistake is gone from parties; its events name the case
  UNION ALL SELECT 'party', entity_id FROM audit_events
             WHERE court_id = :courtId AND entity_type = 'party' AND action = 'party.removed' AND (data->>'caseId') = :caseId::text
  UNION ALL SELECT 'receipt', id::text FROM receipts WHERE court_id = :courtId AND case_id = :caseId
  UNION ALL SELECT 'deferral', id::text FROM deferrals WHERE court_id = :courtId AND case_id = :caseId
  UNION ALL SELECT 'bank_account_change', id::text FROM bank_account_changes WHERE court_id = :courtId AND case_id = :caseId
  UNION ALL SELECT 'agent', id::text FROM party_agents WHERE court_id = :courtId AND case_id = :caseId
  UNION ALL SELECT 'listing', id::text FROM listings WHERE court_id = :courtId AND case_id = :caseId
  UNION ALL SELECT 'objection', o.id::text FROM listing_objections o JOIN listings l ON l.id = o.listing_id
             WHERE l.court_id = :courtId AND l.case_id = :caseId
  UNION ALL SELECT 'freeze', id::text FROM freezes WHERE court_id = :courtId AND case_id = :caseId
  UNION ALL SELECT 'receipt_transfer', id::text FROM receipt_transfers
             WHERE court_id = :courtId AND (from_case_id = :caseId OR to_case_id = :caseId)
  UNION ALL SELECT 'unidentified_fund', id::text FROM unidentified_funds WHERE court_id = :courtId AND claimed_case_id = :caseId
  UNION ALL SELECT 'payout_item', id::text FROM payout_items WHERE court_id = :courtId AND case_id = :caseId
  UNION ALL SELECT DISTINCT 'payout_batch', batch_id::text FROM payout_items WHERE court_id = :courtId AND case_id = :caseId`;

async function historyRows(knex: Knex, c: { id: string; court_id: string }, after: string | null, limit: number): Promise<AuditEventRow[]> {
  const { rows } = await knex.raw<{ rows: AuditEventRow[] }>(
    `WITH related AS (${RELATED_SQL})
     SELECT e.* FROM audit_events e
       JOIN (SELECT DISTINCT entity_type, entity_id FROM related) r ON r.entity_type = e.entity_type AND r.entity_id = e.entity_id
      WHERE e.court_id = :courtId AND e.seq > :after::bigint
      ORDER BY e.seq
      LIMIT :limit`,
    { caseId: c.id, courtId: c.court_id, after: after ?? "0", limit: limit + 1 },
  );
  return rows;
}

/** GET /v1/cases/{id}/history: every audit event of the case and of what hangs on it, oldest first. */
export async function getCaseHistory(ctx: ReadContext, id: string, query: { limit: number; cursor?: string }): Promise<Page<Schemas["AuditEvent"]>> {
  const c = await loadCase(ctx.db, ctx.actor, id);
  const after = decodeCursor(query.cursor, ["integer"]);
  const rows = await historyRows(ctx.db, c, after?.[0] ?? null, query.limit);
  return toPage(rows, query.limit, (r) => [String(r.seq)], toAuditEvent);
}
