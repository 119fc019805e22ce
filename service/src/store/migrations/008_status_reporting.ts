/**
 * What the status reporter last told each org, so a flush sends only what changed.
 * sync_errors_sent: one row per record_health entry mirrored as a Switchboard_Sync_Error__c (its
 * Error_Key__c and a hash of the fields sent); a row whose health entry is gone is resolved in the org,
 * then deleted here. record_status_sent: the Switchboard_Sync_State__c / _Directory_Id__c / _Sync_Note__c
 * last written on each Salesforce record.
 */
export const name = 'status_reporting';

export const sql = `
CREATE TABLE sync_errors_sent (
  org_id     text NOT NULL REFERENCES org_connections (id) ON DELETE CASCADE,
  side       text NOT NULL,
  key        text NOT NULL,
  error_key  text NOT NULL,
  sync_id    text NOT NULL,
  sent_hash  text NOT NULL,
  -- The record_health.updated_at that was sent: a newer one means the entry changed since.
  health_updated_at timestamptz NOT NULL,
  sent_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, side, key)
);

CREATE TABLE record_status_sent (
  org_id       text NOT NULL REFERENCES org_connections (id) ON DELETE CASCADE,
  record_id    text NOT NULL,
  sobject      text NOT NULL,
  state        text NOT NULL,
  directory_id text,
  note         text,
  sent_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, record_id)
);
`;
