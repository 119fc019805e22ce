import { directionOf, ourExtension, userOf } from './parties';

/**
 * Asterisk's AMI `Cdr` event (cdr_manager), as an HTTP bridge posts it: the event's fields as a JSON object (the
 * names AMI sends: Source, Destination, StartTime, AnswerTime, EndTime, Disposition, UniqueID, LinkedID,
 * LastApplication, …). Asterisk writes its CDR times as `YYYY-MM-DD HH:MM:SS` in the PBX's local time, without a
 * zone: the bridge says which zone (`?tz=Europe/Berlin`, an IANA name; UTC when it says nothing).
 *
 * - callId: `LinkedID` (the id every channel of one call shares, Asterisk 12+), else `UniqueID`; legId: `UniqueID`.
 * - direction from the parties (parties.ts): the CDR has none.
 * - disposition: ANSWERED → answered; BUSY → busy; NO ANSWER, FAILED, CONGESTION → missed; a call whose last
 *   application was VoiceMail → voicemail (Asterisk says ANSWERED: the mailbox answered, not a person).
 */
type Json = Record<string, unknown>;

const str = (value: unknown): string | undefined =>
  typeof value === 'number'
    ? String(value)
    : typeof value === 'string' && value.trim() !== ''
      ? value.trim()
      : undefined;

/** The field whatever the case of its name (AMI names are CamelCase, bridges sometimes lower-case them). */
function field(event: Json, name: string): string | undefined {
  const key = Object.keys(event).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : str(event[key]);
}

/** Minutes east of UTC that `zone` is at the instant `utcMs`. */
function offsetMinutes(utcMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - utcMs) / 60_000);
}

/**
 * `YYYY-MM-DD HH:MM:SS` read as a wall-clock time in `zone`, as ISO 8601 UTC; undefined when it is no such time
 * (Asterisk leaves AnswerTime empty for a call nobody answered).
 */
export function wallTimeToIso(text: string | undefined, zone: string): string | undefined {
  const m = text ? /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text) : null;
  if (!m) return undefined;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  // The offset at the wall time read as UTC is right but near a DST change; asking again at the result fixes it.
  let utc = wall - offsetMinutes(wall, zone) * 60_000;
  utc = wall - offsetMinutes(utc, zone) * 60_000;
  return new Date(utc).toISOString();
}

/** Whether `zone` is an IANA time zone this Node knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function asteriskReport(body: unknown, zone = 'UTC', extensionDigits?: number): Json {
  const event = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Json) : {};
  const from = field(event, 'Source');
  const to = field(event, 'Destination');
  const direction = from && to ? directionOf(userOf(from), userOf(to), extensionDigits) : undefined;
  const outcome = (field(event, 'Disposition') ?? '').toUpperCase();
  const voicemail = (field(event, 'LastApplication') ?? '').toLowerCase() === 'voicemail';
  const answered = outcome === 'ANSWERED' && !voicemail;
  const disposition = voicemail
    ? 'voicemail'
    : answered
      ? 'answered'
      : outcome === 'BUSY'
        ? 'busy'
        : outcome
          ? 'missed'
          : undefined;
  return {
    callId: field(event, 'LinkedID') ?? field(event, 'UniqueID'),
    legId: field(event, 'UniqueID'),
    direction,
    from: from && userOf(from),
    to: to && userOf(to),
    extension: direction && from && to ? ourExtension(direction, userOf(from), userOf(to)) : null,
    startedAt: wallTimeToIso(field(event, 'StartTime'), zone),
    answeredAt: answered ? wallTimeToIso(field(event, 'AnswerTime'), zone) : null,
    endedAt: wallTimeToIso(field(event, 'EndTime'), zone) ?? null,
    disposition,
    recordingUrl: null,
  };
}
