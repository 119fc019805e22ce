/**
 * Internal extensions: Salesforce users pulled into the directory by the systems check, as contacts of
 * source 'internal'. internal_users ties each to its org and user id, so a re-run updates instead of
 * duplicating, and a user who left (deactivated, removed) leaves the directory; values_hash skips
 * rewriting unchanged users. Several orgs need nothing else: every table is keyed by org id already.
 */
export const name = 'several_orgs';

export const sql = `
ALTER TABLE directory_contacts DROP CONSTRAINT directory_contacts_source_check;
ALTER TABLE directory_contacts ADD CONSTRAINT directory_contacts_source_check
  CHECK (source IN ('salesforce', 'telephony', 'internal'));

CREATE TABLE internal_users (
  org_id      text NOT NULL REFERENCES org_connections (id) ON DELETE CASCADE,
  user_id     text NOT NULL,
  contact_id  uuid NOT NULL UNIQUE REFERENCES directory_contacts (id) ON DELETE CASCADE,
  values_hash text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id)
);
`;
