import { directionOf, epochToIso, ourExtension, userOf } from './parties';

/**
 * FreeSWITCH `mod_json_cdr`: one POST per leg of a call, the CDR as JSON (`variables`, `callflow`), with
 * `encode-values=false` or URL-encoded values (both read). Mapped to the public call report (calls/callEvent.ts):
 *
 * - callId: the A leg's uuid, which every leg of the call names (`originating_leg_uuid` on a bridged B leg,
 *   else `call_uuid`, else the leg's own `uuid`); legId: the leg's `uuid`. So the legs become one call.
 * - from / to: `caller_id_number` / `destination_number` (variables, else the first caller profile).
 * - direction: from the parties (parties.ts), not the leg's channel direction, which is FreeSWITCH's view.
 * - times: `start_epoch`, `answer_epoch` (0: never answered), `end_epoch`.
 * - disposition: answered when answered; voicemail when the last application was voicemail; busy on USER_BUSY;
 *   else missed.
 *
 * A field it needs and cannot find is left out, so the report's own check names it (as `callId`, `from`, …).
 */
type Json = Record<string, unknown>;

const obj = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

function str(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value === '') return undefined;
  if (!/%[0-9A-Fa-f]{2}/.test(value)) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

export function freeswitchReport(body: unknown, extensionDigits?: number): Json {
  const cdr = obj(body);
  const v = obj(cdr.variables);
  const callflow = Array.isArray(cdr.callflow) ? cdr.callflow : [cdr.callflow];
  const profile = obj(obj(callflow[0]).caller_profile);
  const uuid = str(v.uuid) ?? str(profile.uuid);
  const from = str(v.caller_id_number) ?? str(profile.caller_id_number);
  const to = str(v.destination_number) ?? str(profile.destination_number);
  const answeredAt = epochToIso(str(v.answer_epoch));
  const direction = from && to ? directionOf(from, to, extensionDigits) : undefined;
  const lastApp = (str(v.last_app) ?? '').toLowerCase();
  const cause = (str(v.hangup_cause) ?? '').toUpperCase();
  const disposition =
    lastApp === 'voicemail' ? 'voicemail' : answeredAt ? 'answered' : cause === 'USER_BUSY' ? 'busy' : 'missed';
  return {
    callId: str(v.originating_leg_uuid) ?? str(v.call_uuid) ?? uuid,
    legId: uuid,
    direction,
    from: from && userOf(from),
    to: to && userOf(to),
    extension: direction && from && to ? ourExtension(direction, from, to) : null,
    startedAt: epochToIso(str(v.start_epoch)),
    // Voicemail answers the channel: the call was not answered by a person, and no talk time is logged.
    answeredAt: disposition === 'voicemail' ? null : answeredAt,
    endedAt: epochToIso(str(v.end_epoch)),
    disposition,
    recordingUrl: null,
  };
}
