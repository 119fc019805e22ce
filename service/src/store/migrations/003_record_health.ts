/**
 * record_health: why a record is not simply "in sync". A Salesforce record (side 'salesforce', key = record
 * id) or a directory contact (side 'telephony', key = contact id) that a validity rule excludes, or whose
 * write keeps failing. No row means in sync. Kept per org: one contact can be fine in one org and failing
 * in another.
 */
export const name = 'record_health';

export const sql = `
CREATE TABLE record_health (
  org_id        text NOT NULL REFERENCES org_connections (id) ON DELETE CASCADE,
  side          text NOT NULL CHECK (side IN ('salesforce', 'telephony')),
  key           text NOT NULL,
  sobject       text,
  record_id     text,
  contact_id    uuid,
  state         text NOT NULL CHECK (state IN ('excluded', 'failing')),
  code          text NOT NULL,
  reason        text NOT NULL,
  attempts      integer NOT NULL DEFAULT 0,
  next_retry_at timestamptz,
  since         timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, side, key)
);
CREATE INDEX record_health_state_idx ON record_health (org_id, state, updated_at);
CREATE INDEX record_health_contact_idx ON record_health (contact_id);
`;
