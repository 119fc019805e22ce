/**
 * Calls the PBXs report (issue 15): one row per call, however many reports (retries, legs) it took; and the
 * reports refused, kept for an admin to inspect instead of dropped silently.
 *
 * `call_id` is the PBX's id and the idempotency key (it becomes the Task's CallObject). `leg_ids` lists the
 * legs seen, so a retried leg changes nothing and a second leg is merged (calls/callEvent.ts mergeCall).
 * `contact_id` and `matched` are what the call was matched to when it came (no foreign key: a call outlives
 * the contact it was matched to, as the audit log does).
 */
export const name = 'calls';

export const sql = `
CREATE TABLE calls (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  call_id       text NOT NULL UNIQUE CHECK (length(call_id) BETWEEN 1 AND 255),
  source        text NOT NULL,
  direction     text NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
  from_number   text NOT NULL,
  to_number     text NOT NULL,
  other_e164    text,
  extension     text,
  started_at    timestamptz NOT NULL,
  answered_at   timestamptz,
  ended_at      timestamptz,
  disposition   text NOT NULL CHECK (disposition IN ('answered', 'missed', 'voicemail', 'busy')),
  recording_url text,
  leg_ids       text[] NOT NULL,
  contact_id    uuid,
  matched       jsonb NOT NULL DEFAULT '[]',
  received_at   timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_by_start_idx ON calls (started_at DESC, id DESC);
CREATE INDEX calls_by_contact_idx ON calls (contact_id, started_at DESC, id DESC);
CREATE INDEX calls_by_number_idx ON calls (other_e164, started_at DESC);

CREATE TABLE call_rejects (
  id       bigserial PRIMARY KEY,
  at       timestamptz NOT NULL DEFAULT now(),
  source   text NOT NULL,
  field    text NOT NULL,
  message  text NOT NULL,
  report   jsonb
);
`;
