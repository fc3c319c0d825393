import { Knex } from "knex";

/**
 * What the database holds for agents (issue 12), beside the CHECKs of 0501:
 * - a payout item's agent never changes once written (its own trigger, so that the payout items'
 *   guard of 0201 stays as it is);
 * - an agent, once approved or rejected, is never edited or deleted: the record a payout relied on
 *   stays as it was approved. A pending agent is decided exactly once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION payout_items_agent_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.agent_id IS DISTINCT FROM OLD.agent_id THEN
        RAISE EXCEPTION 'a payout item''s agent never changes' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER payout_items_agent_guarded BEFORE UPDATE ON payout_items
    FOR EACH ROW EXECUTE FUNCTION payout_items_agent_guard()`);

  await knex.raw(`
    CREATE FUNCTION party_agents_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'agents are never deleted' USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF OLD.status <> 'pending' THEN
        RAISE EXCEPTION 'agent % is % and never changes', OLD.id, OLD.status USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF (NEW.id, NEW.court_id, NEW.case_id, NEW.party_id, NEW.name, NEW.id_number, NEW.law_firm, NEW.special_authority,
          NEW.authority_number, NEW.authority_signed_on, NEW.bank_name, NEW.bank_account_name, NEW.bank_account_number,
          NEW.requested_by, NEW.requested_at)
         IS DISTINCT FROM
         (OLD.id, OLD.court_id, OLD.case_id, OLD.party_id, OLD.name, OLD.id_number, OLD.law_firm, OLD.special_authority,
          OLD.authority_number, OLD.authority_signed_on, OLD.bank_name, OLD.bank_account_name, OLD.bank_account_number,
          OLD.requested_by, OLD.requested_at) THEN
        RAISE EXCEPTION 'an agent is decided as it was requested: only its decision is written' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER party_agents_guarded BEFORE UPDATE OR DELETE ON party_agents
    FOR EACH ROW EXECUTE FUNCTION party_agents_guard()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TRIGGER party_agents_guarded ON party_agents`);
  await knex.raw(`DROP FUNCTION party_agents_guard()`);
  await knex.raw(`DROP TRIGGER payout_items_agent_guarded ON payout_items`);
  await knex.raw(`DROP FUNCTION payout_items_agent_guard()`);
}
