/**
 * A paused sync is paused on every instance: the command reaches only the elected one (its command
 * subscriber), but every instance drains the outbox and may win the reconcile lease, so the pause is
 * kept with the org where they all read it.
 *
 * Telephony-side deletes pass the mass-deletion guard too: queued Salesforce deletes it stops wait in
 * the outbox as 'held' until an admin resumes the sync (approved_at set: sent, never judged again) or
 * discards them (the rows go; the Salesforce records stay).
 */
/*
 * Exclusions pass the guard as well: a record the validity rules newly keep out takes its contact out of
 * the directory, so a mass update that empties phone fields is held like a mass delete (cause 'excluded').
 */
export const name = 'shared_pause';

export const sql = `
ALTER TABLE org_connections ADD COLUMN paused_at timestamptz, ADD COLUMN pause_reason text;
ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check CHECK (state IN ('pending', 'processing', 'done', 'failed', 'held'));
ALTER TABLE outbox ADD COLUMN approved_at timestamptz, ADD COLUMN held_reason text;
ALTER TABLE held_deletes DROP CONSTRAINT held_deletes_cause_check;
ALTER TABLE held_deletes ADD CONSTRAINT held_deletes_cause_check CHECK (cause IN ('deleted', 'out-of-scope', 'excluded'));
CREATE INDEX outbox_deletes_idx ON outbox (org_id, state) WHERE operation = 'delete' AND approved_at IS NULL;
`;
