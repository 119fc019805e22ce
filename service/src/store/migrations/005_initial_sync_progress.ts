/**
 * initial_sync_progress: the resumable checkpoint and progress of an org's initial sync, one row per
 * object. It is written in the same transaction as the page of rows it accounts for, so after a crash
 * the row says exactly which pages are in the directory: the Bulk API job, the Sforce-Locator of the
 * next page, and the last record id applied (the snapshot is ordered by Id, so when the job's results
 * are gone the object is queried again from `Id > last_record_id`). `soql` is the snapshot query the
 * checkpoint belongs to: a different one (mappings or scope changed) starts the object over.
 */
export const name = 'initial_sync_progress';

export const sql = `
CREATE TABLE initial_sync_progress (
  org_id         text NOT NULL REFERENCES org_connections (id) ON DELETE CASCADE,
  sobject        text NOT NULL,
  state          text NOT NULL CHECK (state IN ('running', 'done')),
  soql           text NOT NULL,
  job_id         text,
  next_locator   text,
  last_record_id text,
  pages_done     integer NOT NULL DEFAULT 0,
  rows_done      bigint NOT NULL DEFAULT 0,
  total          bigint,
  started_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz,
  PRIMARY KEY (org_id, sobject)
);
`;
