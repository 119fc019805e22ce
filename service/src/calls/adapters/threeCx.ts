import { createHash } from 'node:crypto';
import type { CallProblem } from '../callEvent';
import { isExtension } from './parties';
import { wallTimeToIso } from './asterisk';

/**
 * 3CX's call journaling: the `ReportCall` scenario of a server-side CRM template, which 3CX runs once a call has
 * ended, POSTing what the template's body names with its [Variables] filled in. docs/3cx/switchboard.xml sends
 * them as JSON under their own names (form fields are read too). Pure: no I/O.
 *
 * What 3CX sends, and where that is known from:
 * - `ReportCall` is the journaling scenario's reserved Id, beside the lookup scenario `Id=""`: the "Call
 *   Journaling" section of 3CX's template reference, https://www.3cx.com/docs/server-side-crm-template-xml-description/
 *   (same text: https://www.3cx.cn/docs/crm-template-xml-description/). That section's variable table was not in
 *   the copy we could read, so the names and values below are as public templates written against it use them.
 * - [CallType]: Inbound, Outbound (answered), Missed (an inbound call nobody took), Notanswered (an outbound call
 *   the other side did not take) — the four texts templates compare it with, matching the journaling texts
 *   templates carry (InboundCallText, OutboundCallText, MissedCallText, NotAnsweredOutboundCallText: "Unanswered
 *   outgoing call from [Agent] to [Number]"). Anything else: 400.
 * - [Number]: the outside party; [Agent]: the 3CX user's extension number (e.g.
 *   https://github.com/modestcrab/3CX-Pipedrive-Integration matches agents by extension); [QueueExtension]: the
 *   queue of a queue call, the callee when no agent took it.
 * - [CallStartTimeUTC], [CallEstablishedTimeUTC], [CallEndTimeUTC] (and *Local), their *UTCMillis twins, [DateTime]
 *   and [Duration] (`hh:mm:ss`). The *UTC values are .NET DateTimes whose text follows the PBX's culture, and
 *   3CX has no call id variable in journaling (3CX support, as quoted by public template authors): see callId.
 * - A variable 3CX could not fill may arrive as its own text, `[Agent]`: read as absent.
 *
 * Mapped to the public report (calls/callEvent.ts):
 * - direction: Inbound/Missed → inbound, Outbound/Notanswered → outbound; internal when [Number] is one of our
 *   extensions too. disposition: answered, or missed for Missed/Notanswered.
 * - from/to: [Number] → [Agent] inbound, [Agent] → [Number] outbound; extension: [Agent] when it is digits.
 * - Times, first found: `*UTCMillis` (epoch ms: no format, no zone); the `*UTC` text as ISO 8601 with a zone, or
 *   `yyyy-MM-dd HH:mm:ss` / `M/d/yyyy H:mm:ss [AM|PM]` read as UTC (the variable says so) — but a slash date
 *   whose day and month could swap (`03/04/2026`) is refused, as cultures differ on which is first; for the
 *   start only, [DateTime]: with a zone as written, without one in `?tz=` and refused without `?tz=`. No end:
 *   start + [Duration]; answered but no established time: end − [Duration] (talk time), else the start.
 * - callId: 3CX gives none, so it is derived — `3cx-` and a SHA-256 of ([Number], [Agent], the start in UTC to
 *   the second, [CallType]): the same call reported again is the same call, and the intake stores it once.
 *
 * A problem names the 3CX field (`CallType`, `CallStartTimeUTC`, …), which is what an admin sees in the template.
 */
type Json = Record<string, unknown>;

export type ThreeCxResult = { report: Json } | { problem: CallProblem };

const CALL_TYPES = { inbound: 'inbound', outbound: 'outbound', missed: 'inbound', notanswered: 'outbound' } as const;

/** The field whatever the case of its name; empty, or a variable 3CX left unfilled (`[Agent]`), is absent. */
function field(report: Json, name: string): string | undefined {
  const key = Object.keys(report).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : report[key];
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  return trimmed === '' || /^\[[\w.]+\]$/.test(trimmed) ? undefined : trimmed;
}

class Refused extends Error {
  constructor(readonly problem: CallProblem) {
    super(problem.message);
  }
}
function refuse(field: string, message: string): never {
  throw new Refused({ field, message });
}

/** `yyyy-MM-dd HH:mm:ss` naming a day and time that exist (2026-02-30 and 24:00 do not: Date would roll them on). */
function realWallTime(wall: string): boolean {
  const ms = Date.parse(`${wall.replace(' ', 'T')}Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === wall.replace(' ', 'T');
}

/** `hh:mm:ss`, `d.hh:mm:ss`, with or without `.fffffff` (a .NET TimeSpan), or whole seconds: milliseconds. */
export function durationMs(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const m = /^(?:(\d+)\.)?(\d{1,3}):([0-5]\d):([0-5]\d)(?:\.(\d{1,7}))?$/.exec(text);
  if (!m) return undefined;
  const seconds = Number(m[1] ?? 0) * 86_400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return Math.round((seconds + Number(`0.${m[5] ?? 0}`)) * 1000);
}

/** A UTC time as 3CX may write it, as epoch ms; undefined when absent; refused when unreadable or ambiguous. */
function utcTime(report: Json, name: string): number | undefined {
  const millis = field(report, `${name}UTCMillis`);
  if (millis !== undefined) {
    if (!/^\d{10,15}$/.test(millis)) refuse(`${name}UTCMillis`, 'must be milliseconds since 1970 (UTC)');
    return Number(millis);
  }
  const text = field(report, `${name}UTC`);
  if (text === undefined) return undefined;
  const at = readTime(text, 'UTC', `${name}UTC`);
  return at ?? refuse(`${name}UTC`, 'must be a time such as 2026-12-07 09:00:00 or 2026-12-07T09:00:00Z');
}

/**
 * `text` as epoch ms: ISO 8601 with a zone as written; without one in `zone`, which must then be known
 * (undefined: the text has no zone and none was given — refused by the caller's rule, not guessed).
 */
function readTime(text: string, zone: string | undefined, name: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  }
  let wall: string | undefined;
  const iso = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(text);
  if (iso) wall = `${iso[1]} ${iso[2]}`;
  const slash = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?: ?([AP]M))?$/i.exec(text);
  if (slash) {
    const [a, b] = [Number(slash[1]), Number(slash[2])];
    if (a <= 12 && b <= 12 && a !== b) {
      refuse(name, 'has a date whose day and month could be swapped; send yyyy-MM-dd (or the UTCMillis variable)');
    }
    const [month, day] = a > 12 ? [b, a] : [a, b];
    let hour = Number(slash[4]);
    const half = slash[7]?.toUpperCase();
    if (half && (hour < 1 || hour > 12)) return undefined;
    if (half) hour = (hour % 12) + (half === 'PM' ? 12 : 0);
    const two = (n: number) => String(n).padStart(2, '0');
    wall = `${slash[3]}-${two(month)}-${two(day)} ${two(hour)}:${slash[5]}:${slash[6]}`;
  }
  if (wall === undefined || !realWallTime(wall)) return undefined;
  if (zone === undefined) refuse(name, 'has no time zone: name the PBX zone with ?tz= (e.g. ?tz=Europe/Berlin)');
  const utc = wallTimeToIso(wall, zone);
  return utc === undefined ? undefined : Date.parse(utc);
}

function mapped(report: Json, zone: string | undefined, extensionDigits?: number): Json {
  const callType = field(report, 'CallType');
  if (!callType) return refuse('CallType', 'is required (Inbound, Outbound, Missed or Notanswered)');
  const kind = callType.toLowerCase() as keyof typeof CALL_TYPES;
  if (!Object.hasOwn(CALL_TYPES, kind)) refuse('CallType', 'must be Inbound, Outbound, Missed or Notanswered');
  const number = field(report, 'Number') ?? refuse('Number', 'is required (the outside party)');
  const agent =
    field(report, 'Agent') ?? field(report, 'QueueExtension') ?? refuse('Agent', 'is required (the extension)');
  const duration = field(report, 'Duration');
  const talkMs = duration === undefined ? undefined : durationMs(duration);
  if (duration !== undefined && talkMs === undefined) refuse('Duration', 'must be hh:mm:ss or whole seconds');

  let start = utcTime(report, 'CallStartTime');
  if (start === undefined) {
    const dateTime = field(report, 'DateTime');
    if (dateTime === undefined) refuse('CallStartTimeUTC', 'is required (or CallStartTimeUTCMillis, or DateTime)');
    start = readTime(dateTime, zone, 'DateTime') ?? refuse('DateTime', 'is not a time this service reads');
  }
  const answered = kind === 'inbound' || kind === 'outbound';
  const end = utcTime(report, 'CallEndTime') ?? (talkMs === undefined ? undefined : start + talkMs);
  // Whether [Duration] is talk time or the whole call is not documented where we could read it: either way the
  // answer is no earlier than the start.
  const established = answered
    ? (utcTime(report, 'CallEstablishedTime') ??
      (end !== undefined && talkMs !== undefined ? Math.max(start, end - talkMs) : start))
    : undefined;

  const direction = isExtension(number, extensionDigits) ? 'internal' : CALL_TYPES[kind];
  const outbound = direction === 'outbound' || (direction === 'internal' && CALL_TYPES[kind] === 'outbound');
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const startIso = new Date(Math.floor(start / 1000) * 1000).toISOString();
  const identity = ['3cx', number, agent, startIso, kind].join('\n');
  return {
    callId: `3cx-${createHash('sha256').update(identity).digest('hex').slice(0, 40)}`,
    direction,
    from: outbound ? agent : number,
    to: outbound ? number : agent,
    extension: /^\d+$/.test(agent) ? agent : null,
    startedAt: iso(start),
    answeredAt: iso(established),
    endedAt: iso(end),
    disposition: answered ? 'answered' : 'missed',
    recordingUrl: null,
  };
}

/** `zone`: the PBX's IANA zone when the request named one (`?tz=`), for a [DateTime] written without a zone. */
export function threeCxReport(body: unknown, zone?: string, extensionDigits?: number): ThreeCxResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problem: { field: 'body', message: 'must be an object of the ReportCall variables' } };
  }
  try {
    return { report: mapped(body as Json, zone, extensionDigits) };
  } catch (err) {
    if (err instanceof Refused) return { problem: err.problem };
    throw err;
  }
}
