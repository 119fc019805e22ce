/**
 * The LDAP mirror's progress (ldapMirror/): one row. `change_cursor` is where its reading of the directory's
 * change feed resumes (an opaque token of directory/changes.ts), stored after the batch it covers is in LDAP, so a
 * crash repeats a batch (idempotent) and never skips one. A full resync pages through the contacts by id
 * (`resync_after`), then sweeps LDAP for entries the directory no longer has; its place is kept here so a restart
 * goes on where it stopped. `base_dn` is the base the entries were written under: another one means a resync.
 */
export const name = 'ldap_mirror';

export const sql = `
CREATE TABLE ldap_mirror_state (
  id                    boolean PRIMARY KEY DEFAULT true CHECK (id),
  change_cursor         text NOT NULL,
  base_dn               text,
  resync_state          text NOT NULL DEFAULT 'idle' CHECK (resync_state IN ('idle', 'pending', 'running')),
  resync_phase          text CHECK (resync_phase IN ('entries', 'sweep')),
  resync_after          uuid,
  resync_written        bigint NOT NULL DEFAULT 0,
  resync_removed        bigint NOT NULL DEFAULT 0,
  resync_reason         text,
  resync_requested_at   timestamptz,
  resync_started_at     timestamptz,
  resync_finished_at    timestamptz,
  updated_at            timestamptz NOT NULL DEFAULT now()
);
`;
