/**
 * The scheduled reconcile and the mass-deletion guard.
 * - reconcile_watermarks: per org and stream (a Salesforce object, or 'directory' for the telephony side)
 *   the newest change a reconcile has covered, and the scope condition it covered it with (a changed scope
 *   makes the next run sweep the whole object once).
 * - reconcile_leases: at most one reconcile per org across service instances. A lease row rather than an
 *   advisory lock: a run spans many transactions on pooled connections, and a session lock would pin a
 *   connection (PGlite's only one) for the whole run. An instance that dies leaves a lease that expires.
 * - held_deletes: Salesforce deletes the guard held back, waiting for an admin to approve or discard them.
 */
export const name = 'reconcile';

export const sql = `
CREATE TABLE reconcile_watermarks (
  org_id     text NOT NULL REFERENCES org_connections (id) ON DELETE CASCADE,
  stream     text NOT NULL,
  watermark  timestamptz NOT NULL,
  scope_hash text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, stream)
);

CREATE TABLE reconcile_leases (
  org_id      text PRIMARY KEY REFERENCES org_connections (id) ON DELETE CASCADE,
  owner       text NOT NULL,
  lease_until timestamptz NOT NULL
);

CREATE TABLE held_deletes (
  org_id    text NOT NULL REFERENCES org_connections (id) ON DELETE CASCADE,
  record_id text NOT NULL,
  sobject   text NOT NULL,
  cause     text NOT NULL CHECK (cause IN ('deleted', 'out-of-scope')),
  origin    text NOT NULL CHECK (origin IN ('event', 'reconcile')),
  reason    text NOT NULL,
  held_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, record_id)
);
`;
