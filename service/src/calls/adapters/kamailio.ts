import { directionOf, epochToIso, ourExtension, userOf } from './parties';

/**
 * Kamailio `acc_json`: one JSON record per accounted transaction, queued in an mqueue and POSTed by the routing
 * script's timer route (README; service/test/calls/kamailioAcc.test.ts runs it). The acc module's own fields are
 * `method`, `callid`, `sip_code` (a string), `time` (epoch seconds: an integer, or with a fraction under
 * `acc_time_mode` 2) and the tags; the parties come from acc_json's `acc_extra` as `src_user` and `dst_user`.
 * One call is the INVITE's record (its final reply: 200 when answered, 486 busy, 4xx–6xx missed —
 * acc_missed_flag) and the BYE's (the end):
 *
 * - callId: `callid`; legId: the method, so a retried record changes nothing and INVITE + BYE merge.
 * - INVITE 2xx: started and answered at `time`; INVITE 486/600: busy; other INVITE failures: missed.
 * - BYE: ended at `time`. Its parties are whoever hung up first (the callee may be its caller); the merge keeps
 *   the first report's parties, and the script posts the INVITE's record first, as it happens first.
 */
type Json = Record<string, unknown>;

const str = (value: unknown): string | undefined =>
  typeof value === 'number' ? String(value) : typeof value === 'string' && value !== '' ? value : undefined;

export function kamailioReport(body: unknown, extensionDigits?: number): Json {
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Json) : {};
  const method = (str(record.method) ?? '').toUpperCase();
  const code = Number(str(record.sip_code) ?? NaN);
  const at = epochToIso(str(record.time));
  const from = str(record.src_user);
  const to = str(record.dst_user);
  const direction = from && to ? directionOf(userOf(from), userOf(to), extensionDigits) : undefined;
  const base = {
    callId: str(record.callid),
    legId: method || undefined,
    direction,
    from: from && userOf(from),
    to: to && userOf(to),
    extension: direction && from && to ? ourExtension(direction, userOf(from), userOf(to)) : null,
    recordingUrl: null,
  };
  if (method === 'BYE') return { ...base, startedAt: at, answeredAt: null, endedAt: at, disposition: 'missed' };
  const answered = code >= 200 && code < 300;
  const busy = code === 486 || code === 600;
  return {
    ...base,
    startedAt: at,
    answeredAt: answered ? at : null,
    endedAt: answered ? null : at,
    disposition: answered ? 'answered' : busy ? 'busy' : 'missed',
  };
}
