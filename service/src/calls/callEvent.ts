import { z } from 'zod';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { unstorableTextReason } from '../model/text';
import { DIRECTIONS, DISPOSITIONS, type CallReport, type MergedCall } from '../model/calls';

/**
 * A call as a PBX reports it, and how reports of one call become one call: pure rules, no I/O.
 *
 * The public contract of `POST /api/v1/calls` (other tools rely on these names: extend, don't rename):
 * `{ callId, direction: inbound|outbound|internal, from, to, extension, startedAt, answeredAt, endedAt,
 *    disposition: answered|missed|voicemail|busy, recordingUrl, legId? }`, times in ISO 8601 with an offset.
 * Adapters (calls/adapters/) turn what PBXs send into this shape, so one schema judges every source.
 *
 * One call, many reports: a retry repeats a report, and some PBXs report each leg of a call apart (FreeSWITCH
 * posts one record per leg). Reports with the same callId are one call; `mergeCall` folds them whatever their
 * order, so a retry changes nothing and the legs' union is kept.
 */
export { DIRECTIONS, DISPOSITIONS } from '../model/calls';
export type { CallDirection, CallDisposition, CallReport, MergedCall } from '../model/calls';

function text(max: number) {
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const reason = unstorableTextReason(value);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
      else if (value.length > max) ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters` });
    });
}

const required = (max: number) => text(max).refine((value) => value !== '', 'cannot be empty');

/** A party as PBXs write it: a number (any format), an extension, or a SIP user; never markup or a sentence. */
const party = required(80).refine(
  (value) => /^[+\w().\-/ #*@:]+$/.test(value),
  'must be a number, an extension or a SIP user (letters, digits, + ( ) . - / # * @ :)',
);

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time with a time zone (Z or +hh:mm)' });

const reportSchema = z
  .object({
    callId: required(255),
    legId: required(255).nullable().optional(),
    direction: z.enum(DIRECTIONS, { message: `must be one of ${DIRECTIONS.join(', ')}` }),
    from: party,
    to: party,
    extension: text(40).nullable().optional(),
    startedAt: instant,
    answeredAt: instant.nullable().optional(),
    endedAt: instant.nullable().optional(),
    disposition: z.enum(DISPOSITIONS, { message: `must be one of ${DISPOSITIONS.join(', ')}` }),
    recordingUrl: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .max(1000, 'must be at most 1000 characters')
      .nullable()
      .optional(),
  })
  .superRefine((report, ctx) => {
    const started = Date.parse(report.startedAt);
    const later = (field: 'answeredAt' | 'endedAt') => {
      const value = report[field];
      if (value && Date.parse(value) < started)
        ctx.addIssue({ code: 'custom', path: [field], message: 'is before startedAt' });
    };
    later('answeredAt');
    later('endedAt');
    if (report.answeredAt && report.endedAt && Date.parse(report.endedAt) < Date.parse(report.answeredAt)) {
      ctx.addIssue({ code: 'custom', path: ['endedAt'], message: 'is before answeredAt' });
    }
    if (report.disposition === 'answered' && !report.answeredAt) {
      ctx.addIssue({ code: 'custom', path: ['answeredAt'], message: 'is required when the disposition is answered' });
    }
  });

export interface CallProblem {
  field: string;
  message: string;
  /** The call's id when the report names one. */
  record?: string;
}

/** Zod issue paths as people write them. */
function pathOf(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.') || 'body';
}

/** A report, or the first problem with it (field named, never the value: it may be a person's number). */
export function parseCallReport(body: unknown): { report: CallReport } | { problem: CallProblem } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problem: { field: 'body', message: 'must be a JSON object' } };
  }
  const parsed = reportSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: { field: pathOf(issue?.path ?? []), message: issue?.message ?? 'is invalid' } };
  }
  const r = parsed.data;
  const at = (value: string | null | undefined) => (value ? new Date(value) : null);
  return {
    report: {
      callId: r.callId,
      legId: r.legId ?? null,
      direction: r.direction,
      from: r.from,
      to: r.to,
      extension: r.extension ? r.extension : null,
      startedAt: new Date(r.startedAt),
      answeredAt: at(r.answeredAt),
      endedAt: at(r.endedAt),
      disposition: r.disposition,
      recordingUrl: r.recordingUrl ?? null,
    },
  };
}

const earliest = (a: Date | null, b: Date | null) => (a && b ? (a <= b ? a : b) : (a ?? b));
const latest = (a: Date | null, b: Date | null) => (a && b ? (a >= b ? a : b) : (a ?? b));

/**
 * The call after one more report: started at the earliest start, answered at the earliest answer, ended at
 * the latest end, with the strongest disposition (a leg that was answered makes the call answered) and the
 * first recording. Parties, direction and extension are the first report's, except that an extension or a
 * recording missing so far is taken from a later leg. Commutative up to those firsts, and idempotent: the
 * same report twice is the same call.
 */
export function mergeCall(call: MergedCall | null, report: CallReport): MergedCall {
  const legId = report.legId ?? report.callId;
  if (!call) {
    const { legId: _omitted, ...rest } = report;
    return { ...rest, legIds: [legId] };
  }
  const strongest =
    DISPOSITIONS.indexOf(report.disposition) > DISPOSITIONS.indexOf(call.disposition)
      ? report.disposition
      : call.disposition;
  return {
    ...call,
    extension: call.extension ?? report.extension,
    startedAt: earliest(call.startedAt, report.startedAt) as Date,
    answeredAt: earliest(call.answeredAt, report.answeredAt),
    endedAt: latest(call.endedAt, report.endedAt),
    disposition: strongest,
    recordingUrl: call.recordingUrl ?? report.recordingUrl,
    legIds: call.legIds.includes(legId) ? call.legIds : [...call.legIds, legId],
  };
}

/** Whole seconds from answer to end; 0 for a call never answered or not yet ended. */
export function talkSeconds(call: Pick<MergedCall, 'answeredAt' | 'endedAt'>): number {
  if (!call.answeredAt || !call.endedAt) return 0;
  return Math.max(0, Math.round((call.endedAt.getTime() - call.answeredAt.getTime()) / 1000));
}

/**
 * The number of the party outside: the caller of an inbound call, the callee of an outbound one, in E.164
 * with the default country when it reads as a number; null for an internal call or a party that is no number
 * (a SIP user, an extension).
 */
export function otherPartyE164(
  call: Pick<CallReport, 'direction' | 'from' | 'to'>,
  country: CountryCode,
): string | null {
  if (call.direction === 'internal') return null;
  const party = call.direction === 'inbound' ? call.from : call.to;
  if (!/\d{5,}/.test(party.replace(/[\s().\-/]/g, ''))) return null;
  const parsed = parsePhoneNumberFromString(party.replace(/^00/, '+'), country);
  return parsed?.isValid() ? parsed.number : null;
}
