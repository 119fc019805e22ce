import { mergeCall, otherPartyE164, parseCallReport, talkSeconds, type CallReport } from '../../src/calls/callEvent';

const VALID = {
  callId: 'pbx-1001',
  direction: 'inbound',
  from: '+1 415 555 2671',
  to: '201',
  extension: '201',
  startedAt: '2026-12-07T09:00:00Z',
  answeredAt: '2026-12-07T09:00:05Z',
  endedAt: '2026-12-07T09:02:05+00:00',
  disposition: 'answered',
  recordingUrl: 'https://pbx.example.com/rec/1001.wav',
};

function report(body: unknown): CallReport {
  const parsed = parseCallReport(body);
  if (!('report' in parsed)) throw new Error(`refused: ${parsed.problem.field}: ${parsed.problem.message}`);
  return parsed.report;
}

const problemOf = (body: unknown) => {
  const parsed = parseCallReport(body);
  return 'problem' in parsed ? parsed.problem : null;
};

describe('call reports', () => {
  it('reads the public shape, times as dates, optional fields as null', () => {
    const r = report(VALID);
    expect(r).toMatchObject({ callId: 'pbx-1001', legId: null, direction: 'inbound', extension: '201' });
    expect(r.startedAt.toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(talkSeconds(r)).toBe(120);
    const minimal = report({
      ...VALID,
      answeredAt: null,
      endedAt: undefined,
      disposition: 'missed',
      recordingUrl: null,
    });
    expect(minimal.answeredAt).toBeNull();
    expect(minimal.endedAt).toBeNull();
    expect(talkSeconds(minimal)).toBe(0);
  });

  it.each([
    ['callId', { callId: '' }, 'cannot be empty'],
    ['callId', { callId: 'x'.repeat(256) }, 'at most 255'],
    ['direction', { direction: 'sideways' }, 'inbound, outbound, internal'],
    ['from', { from: '<script>' }, 'must be a number'],
    ['to', { to: undefined }, 'expected string'],
    ['startedAt', { startedAt: '2026-12-07 09:00' }, 'ISO 8601'],
    ['startedAt', { startedAt: '2026-12-07T09:00:00' }, 'time zone'],
    ['answeredAt', { answeredAt: '2026-12-07T08:00:00Z' }, 'before startedAt'],
    ['endedAt', { endedAt: '2026-12-07T09:00:01Z' }, 'before answeredAt'],
    ['answeredAt', { answeredAt: null }, 'required when the disposition is answered'],
    ['disposition', { disposition: 'ANSWERED' }, 'must be one of missed, busy, voicemail, answered'],
    ['recordingUrl', { recordingUrl: 'javascript:alert(1)' }, 'http(s) URL'],
    ['from', { from: 'a\u0000b' }, 'U+0000'],
  ])('names %s when it is wrong (%o)', (field, change, text) => {
    const problem = problemOf({ ...VALID, ...change });
    expect(problem?.field).toBe(field);
    expect(problem?.message).toContain(text);
  });

  it('refuses what is no object', () => {
    expect(problemOf([VALID])).toEqual({ field: 'body', message: 'must be a JSON object' });
    expect(problemOf('call')).toEqual({ field: 'body', message: 'must be a JSON object' });
  });
});

describe('one call from many reports', () => {
  const legA = report({
    ...VALID,
    legId: 'a',
    answeredAt: null,
    disposition: 'missed',
    endedAt: '2026-12-07T09:00:20Z',
  });
  const legB = report({
    ...VALID,
    legId: 'b',
    startedAt: '2026-12-07T09:00:02Z',
    answeredAt: '2026-12-07T09:00:05Z',
    endedAt: '2026-12-07T09:02:05Z',
    recordingUrl: null,
  });

  it('is the same call after a report comes again', () => {
    const once = mergeCall(null, legA);
    expect(mergeCall(once, legA)).toEqual(once);
  });

  it('merges legs in any order: earliest start and answer, latest end, the strongest disposition', () => {
    const ab = mergeCall(mergeCall(null, legA), legB);
    const ba = mergeCall(mergeCall(null, legB), legA);
    for (const call of [ab, ba]) {
      expect(call.startedAt.toISOString()).toBe('2026-12-07T09:00:00.000Z');
      expect(call.answeredAt?.toISOString()).toBe('2026-12-07T09:00:05.000Z');
      expect(call.endedAt?.toISOString()).toBe('2026-12-07T09:02:05.000Z');
      expect(call.disposition).toBe('answered');
      expect(call.legIds.sort()).toEqual(['a', 'b']);
      expect(talkSeconds(call)).toBe(120);
    }
    expect(mergeCall(ab, legB)).toEqual(ab);
  });
});

describe('the other party', () => {
  it('is the caller of an inbound call and the callee of an outbound one, in E.164', () => {
    expect(otherPartyE164({ direction: 'inbound', from: '(415) 555-2671', to: '201' }, 'US')).toBe('+14155552671');
    expect(otherPartyE164({ direction: 'outbound', from: '201', to: '0049 30 1234567' }, 'US')).toBe('+49301234567');
    expect(otherPartyE164({ direction: 'outbound', from: '201', to: '030 1234567' }, 'DE')).toBe('+49301234567');
  });

  it('is no number for an internal call, an extension or a SIP user', () => {
    expect(otherPartyE164({ direction: 'internal', from: '201', to: '202' }, 'US')).toBeNull();
    expect(otherPartyE164({ direction: 'inbound', from: '203', to: '201' }, 'US')).toBeNull();
    expect(otherPartyE164({ direction: 'inbound', from: 'anonymous@pbx', to: '201' }, 'US')).toBeNull();
  });
});
