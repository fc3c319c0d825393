import { Knex } from "knex";

/**
 * Indexes for a case's history (GET /v1/cases/{id}/history, api/cases/case-history.ts): each part
 * of "what hangs on a case" is found by (court_id, case), never by scanning a court's rows. The
 * removed parties' events are found by the case they name, in a partial index that holds only them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX receipt_transfers_from_case_idx ON receipt_transfers (court_id, from_case_id)`);
  await knex.raw(`CREATE INDEX receipt_transfers_to_case_idx ON receipt_transfers (court_id, to_case_id)`);
  await knex.raw(`CREATE INDEX unidentified_funds_claimed_case_idx ON unidentified_funds (court_id, claimed_case_id) WHERE claimed_case_id IS NOT NULL`);
  await knex.raw(`CREATE INDEX party_agents_case_idx ON party_agents (court_id, case_id)`);
  await knex.raw(`CREATE INDEX audit_events_removed_party_idx ON audit_events (court_id, (data->>'caseId')) WHERE entity_type = 'party' AND action = 'party.removed'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX audit_events_removed_party_idx`);
  await knex.raw(`DROP INDEX party_agents_case_idx`);
  await knex.raw(`DROP INDEX unidentified_funds_claimed_case_idx`);
  await knex.raw(`DROP INDEX receipt_transfers_to_case_idx`);
  await knex.raw(`DROP INDEX receipt_transfers_from_case_idx`);
}
