import { Knex } from "knex";

/**
 * Findings proposed from the data (issue 15): the inspector's decision on each proposal, so that a
 * proposal accepted (it became a finding) or discarded (with a reason) is not proposed again in any
 * inspection of the court. A proposal is named by its stable key (`category:type:id`). Decisions
 * are evidence of the inspector's judgement: append-only, one per key and court.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE finding_proposal_decisions (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      inspection_id uuid NOT NULL,
      key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
      decision text NOT NULL CHECK (decision IN ('accepted','discarded')),
      reason text CHECK (length(reason) BETWEEN 1 AND 2000),
      finding_id uuid,
      decided_at timestamptz NOT NULL DEFAULT now(),
      decided_by uuid NOT NULL REFERENCES users(id),
      UNIQUE (court_id, key),
      FOREIGN KEY (court_id, inspection_id) REFERENCES inspections (court_id, id),
      FOREIGN KEY (court_id, finding_id) REFERENCES findings (court_id, id),
      CHECK ((decision = 'accepted') = (finding_id IS NOT NULL)),
      CHECK ((decision = 'discarded') = (reason IS NOT NULL))
    )`);
  await knex.raw(`
    CREATE TRIGGER finding_proposal_decisions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON finding_proposal_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE finding_proposal_decisions`);
}
