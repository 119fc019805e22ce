/**
 * Access keys for devices that cannot send the API's bearer token (desk phones, PBXs, CardDAV clients).
 * Only the SHA-256 of a key is stored (hex, looked up by equality): a copy of the database lets nobody in.
 * A rotation replaces the hash in place, so the key's id, name and settings stay. Revoked keys are kept
 * (revoked_at) so the list and the audit log still name them.
 */
export const name = 'access_keys';

export const sql = `
CREATE TABLE access_keys (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                   text NOT NULL,
  key_hash               text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  scopes                 text[] NOT NULL CHECK (cardinality(scopes) > 0),
  allowed_cidrs          text[] NOT NULL DEFAULT '{}',
  rate_limit_per_minute  integer CHECK (rate_limit_per_minute > 0),
  options                jsonb NOT NULL DEFAULT '{}',
  created_at             timestamptz NOT NULL DEFAULT now(),
  rotated_at             timestamptz,
  last_used_at           timestamptz,
  revoked_at             timestamptz
);
CREATE INDEX access_keys_created_idx ON access_keys (created_at, id);
`;
