/**
 * The first schema: org connections, the telephony directory, links between directory contacts and
 * Salesforce records, Pub/Sub bookkeeping, the write-back outbox and the audit log.
 */
export const name = 'initial';

export const sql = `
CREATE TABLE org_connections (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  login_url       text NOT NULL,
  organization_id text UNIQUE,
  instance_url    text,
  settings        jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE directory_contacts (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  first_name  text,
  last_name   text,
  company     text,
  title       text,
  email       text,
  -- Generated, so no writer can let it drift from email.
  email_lower text GENERATED ALWAYS AS (lower(btrim(email))) STORED,
  source      text NOT NULL CHECK (source IN ('salesforce', 'telephony')),
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX directory_contacts_email_lower_idx ON directory_contacts (email_lower);

CREATE TABLE directory_phones (
  id         bigserial PRIMARY KEY,
  contact_id uuid NOT NULL REFERENCES directory_contacts (id) ON DELETE CASCADE,
  kind       text NOT NULL CHECK (kind IN ('work', 'mobile', 'home', 'other')),
  raw        text NOT NULL,
  e164       text,
  extension  text,
  position   integer NOT NULL
);
CREATE INDEX directory_phones_e164_idx ON directory_phones (e164);
CREATE INDEX directory_phones_contact_id_idx ON directory_phones (contact_id, position);

CREATE TABLE links (
  id          bigserial PRIMARY KEY,
  org_id      text NOT NULL REFERENCES org_connections (id) ON DELETE CASCADE,
  contact_id  uuid NOT NULL REFERENCES directory_contacts (id) ON DELETE CASCADE,
  sobject     text NOT NULL,
  record_id   text NOT NULL,
  sf_hash     text,
  tel_hash    text,
  sf_modstamp timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, record_id)
);
CREATE INDEX links_contact_id_idx ON links (contact_id);

CREATE TABLE replay_checkpoints (
  org_id     text NOT NULL REFERENCES org_connections (id) ON DELETE CASCADE,
  topic      text NOT NULL,
  replay_id  bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, topic)
);

CREATE TABLE processed_events (
  org_id       text NOT NULL REFERENCES org_connections (id) ON DELETE CASCADE,
  event_id     text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, event_id)
);
CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at);

CREATE TABLE outbox (
  id              bigserial PRIMARY KEY,
  org_id          text NOT NULL REFERENCES org_connections (id) ON DELETE CASCADE,
  -- No foreign keys to contacts or links: a delete must still reach Salesforce after the contact is gone.
  contact_id      uuid,
  link_id         bigint,
  sobject         text NOT NULL,
  record_id       text,
  operation       text NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
  payload         jsonb NOT NULL DEFAULT '{}'::jsonb,
  payload_hash    text NOT NULL,
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'processing', 'done', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until     timestamptz,
  last_error      text,
  last_error_code text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_pending_idx ON outbox (org_id, next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_processing_idx ON outbox (org_id, lease_until) WHERE state = 'processing';
CREATE INDEX outbox_contact_idx ON outbox (contact_id) WHERE state IN ('pending', 'processing');

CREATE TABLE audit_log (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  org_id     text,
  -- No foreign key: the log outlives the contacts it describes.
  contact_id uuid,
  record_id  text,
  origin     text NOT NULL CHECK (origin IN ('salesforce', 'telephony', 'system')),
  action     text NOT NULL,
  rule       text,
  before     jsonb,
  after      jsonb
);
CREATE INDEX audit_log_contact_at_idx ON audit_log (contact_id, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);
`;
