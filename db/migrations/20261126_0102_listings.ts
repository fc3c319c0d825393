import { Knex } from "knex";

/**
 * The dishonest-debtor list (失信被执行人名单): listings of a case's debtors, where each was
 * published and withdrawn, and the listed person's objections.
 *
 * `status` holds what people decided (active, removal_pending, removed). A listing with a term
 * expires by the calendar, so `expired` is computed on read (the day after `expires_on`) and only
 * stored when a new listing of the same debtor replaces an expired one; the partial unique index
 * then keeps one live listing per debtor and case.
 */
const GROUNDS = `'able_but_refuses','obstructs_enforcement','evades_enforcement','false_asset_report','violates_consumption_ban','breaches_settlement'`;
const REMOVAL_GROUNDS = `'fully_performed','settlement_performed','applicant_request','no_assets_found','execution_suspended','enforcement_refused','enforcement_terminated','listed_in_error'`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE listings (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      case_id uuid NOT NULL,
      party_id uuid NOT NULL REFERENCES parties(id),
      applicant_id uuid REFERENCES parties(id),
      ground text NOT NULL CHECK (ground IN (${GROUNDS})),
      decision_number text NOT NULL CHECK (length(decision_number) BETWEEN 1 AND 100),
      decided_on date NOT NULL,
      extension_years smallint CHECK (extension_years BETWEEN 1 AND 3),
      expires_on date,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','removal_pending','removed','expired')),
      removal_ground text CHECK (removal_ground IN (${REMOVAL_GROUNDS})),
      removal_note text CHECK (length(removal_note) <= 2000),
      removal_applicant_id uuid REFERENCES parties(id),
      removal_requested_by uuid REFERENCES users(id),
      removal_requested_at timestamptz,
      removal_requested_on date,
      removal_approved_by uuid REFERENCES users(id),
      removed_on date,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      UNIQUE (court_id, id),
      FOREIGN KEY (court_id, case_id) REFERENCES cases (court_id, id),
      CHECK ((ground = 'able_but_refuses') = (expires_on IS NULL)),
      CHECK (extension_years IS NULL OR ground <> 'able_but_refuses'),
      CHECK (expires_on IS NULL OR expires_on > decided_on),
      CHECK ((status IN ('removal_pending','removed')) = (removal_ground IS NOT NULL AND removal_requested_by IS NOT NULL)),
      CHECK ((status = 'removed') = (removed_on IS NOT NULL)),
      CHECK (status <> 'expired' OR expires_on IS NOT NULL),
      CHECK ((removal_ground = 'applicant_request') = (removal_applicant_id IS NOT NULL)),
      CHECK (removal_approved_by IS NULL OR removal_approved_by <> removal_requested_by)
    )`);
  await knex.raw(`CREATE UNIQUE INDEX listings_one_live_per_debtor_idx ON listings (court_id, party_id) WHERE status IN ('active','removal_pending')`);
  await knex.raw(`CREATE INDEX listings_court_decided_idx ON listings (court_id, decided_on DESC, id DESC)`);
  await knex.raw(`CREATE INDEX listings_case_idx ON listings (court_id, case_id)`);
  await knex.raw(`CREATE INDEX listings_active_idx ON listings (status, party_id) WHERE status = 'active'`);

  await knex.raw(`
    CREATE TABLE listing_publications (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      listing_id uuid NOT NULL,
      channel text NOT NULL CHECK (channel IN ('court_website','national_portal','new_media','newspaper','other')),
      published_on date NOT NULL,
      reference text CHECK (length(reference) BETWEEN 1 AND 500),
      withdrawn_on date,
      withdrawn_by uuid REFERENCES users(id),
      withdrawn_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      FOREIGN KEY (court_id, listing_id) REFERENCES listings (court_id, id),
      CHECK (withdrawn_on IS NULL OR withdrawn_on >= published_on),
      CHECK ((withdrawn_on IS NULL) = (withdrawn_by IS NULL))
    )`);
  // One live publication per channel; "other" may name several outlets.
  await knex.raw(`
    CREATE UNIQUE INDEX listing_publications_live_channel_idx ON listing_publications (listing_id, channel)
    WHERE withdrawn_on IS NULL AND channel <> 'other'`);
  await knex.raw(`CREATE INDEX listing_publications_listing_idx ON listing_publications (court_id, listing_id, published_on)`);

  await knex.raw(`
    CREATE TABLE listing_objections (
      id uuid PRIMARY KEY,
      court_id uuid NOT NULL,
      listing_id uuid NOT NULL,
      received_on date NOT NULL,
      reason text NOT NULL CHECK (reason IN ('should_not_be_listed','inaccurate','should_be_removed')),
      note text NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
      review_due_by date NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','upheld','rejected')),
      decided_on date,
      decision_note text CHECK (length(decision_note) BETWEEN 1 AND 2000),
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      action_due_by date,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES users(id),
      FOREIGN KEY (court_id, listing_id) REFERENCES listings (court_id, id),
      CHECK (review_due_by = received_on + 15),
      CHECK ((status = 'pending') = (decided_by IS NULL)),
      CHECK ((status = 'pending') = (decided_on IS NULL)),
      CHECK ((status = 'upheld') = (action_due_by IS NOT NULL)),
      CHECK (decided_on IS NULL OR decided_on >= received_on)
    )`);
  await knex.raw(`CREATE INDEX listing_objections_listing_idx ON listing_objections (court_id, listing_id, received_on)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE listing_objections`);
  await knex.raw(`DROP TABLE listing_publications`);
  await knex.raw(`DROP TABLE listings`);
}
