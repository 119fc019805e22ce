import { durationMs, threeCxReport } from '../../src/calls/adapters/threeCx';
import { parseCallReport, talkSeconds, type CallReport } from '../../src/calls/callEvent';
import { reportCallBody } from '../support/threeCxReportCall';

/**
 * 3CX's call journaling (the CRM template's ReportCall), as docs/3cx/switchboard.xml makes 3CX send it, mapped
 * to the public report. Times: 2026-12-07 09:00:00 UTC is 1796634000000 ms.
 */
const START = 1796634000_000;

/** An answered inbound call to extension 201: rang 4 s, talked 60 s. */
const INBOUND = {
  CallType: 'Inbound',
  Number: '+4930123456',
  Agent: '201',
  Duration: '00:01:00',
  DateTime: '12/7/2026 10:00:00 AM',
  CallStartTimeUTCMillis: String(START),
  CallEstablishedTimeUTCMillis: String(START + 4_000),
  CallEndTimeUTCMillis: String(START + 64_000),
  CallStartTimeUTC: '12/7/2026 9:00:00 AM',
  CallEstablishedTimeUTC: '12/7/2026 9:00:04 AM',
  CallEndTimeUTC: '12/7/2026 9:01:04 AM',
};

function mapped(variables: Record<string, string>, zone?: string) {
  const result = threeCxReport(reportCallBody(variables), zone);
  if ('problem' in result) throw new Error(`refused: ${result.problem.field}: ${result.problem.message}`);
  return result.report;
}

function report(variables: Record<string, string>, zone?: string): CallReport {
  const parsed = parseCallReport(mapped(variables, zone));
  if (!('report' in parsed)) throw new Error(`refused: ${parsed.problem.field}: ${parsed.problem.message}`);
  return parsed.report;
}

const problemOf = (variables: Record<string, string>, zone?: string) => {
  const result = threeCxReport(reportCallBody(variables), zone);
  return 'problem' in result ? result.problem.field : null;
};

/** The variables but these, which 3CX could not fill (they arrive as their own text). */
function without(variables: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).filter(([name]) => !names.includes(name)));
}

describe('3CX ReportCall', () => {
  it('sends every variable the adapter reads, under 3CX names, and leaves unfilled ones as their text', () => {
    const body = reportCallBody({ CallType: 'Inbound' });
    expect(body.CallType).toBe('Inbound');
    expect(body.Agent).toBe('[Agent]');
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining(['Number', 'Agent', 'Duration', 'DateTime', 'CallStartTimeUTCMillis', 'CallEndTimeUTC']),
    );
  });

  it('maps an answered inbound call: caller → extension, the times from the UTC milliseconds', () => {
    const r = report(INBOUND);
    expect(r).toMatchObject({ direction: 'inbound', from: '+4930123456', to: '201', extension: '201' });
    expect(r.disposition).toBe('answered');
    expect(r.startedAt.toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(r.answeredAt?.toISOString()).toBe('2026-12-07T09:00:04.000Z');
    expect(talkSeconds(r)).toBe(60);
    expect(r.callId).toMatch(/^3cx-[0-9a-f]{40}$/);
  });

  it('maps an outbound call from the extension, from the UTC text when the milliseconds are unfilled', () => {
    const variables = {
      ...without(INBOUND, 'CallStartTimeUTCMillis', 'CallEstablishedTimeUTCMillis', 'CallEndTimeUTCMillis'),
      CallType: 'Outbound',
      CallStartTimeUTC: '2026-12-07 09:00:00',
      CallEstablishedTimeUTC: '2026-12-07T09:00:04Z',
      CallEndTimeUTC: '12/31/2026 9:01:04 PM',
    };
    const r = report(variables);
    expect(r).toMatchObject({ direction: 'outbound', from: '201', to: '+4930123456', disposition: 'answered' });
    expect(r.startedAt.toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(r.answeredAt?.toISOString()).toBe('2026-12-07T09:00:04.000Z');
    expect(r.endedAt?.toISOString()).toBe('2026-12-31T21:01:04.000Z');
  });

  it('maps Missed (inbound) and Notanswered (outbound) as missed, with no answer', () => {
    const missed = report({ ...without(INBOUND, 'CallEstablishedTimeUTCMillis'), CallType: 'Missed' });
    expect(missed).toMatchObject({ direction: 'inbound', to: '201', disposition: 'missed', answeredAt: null });
    // No agent took it: the queue it waited in is the callee; neither, and the report names the field.
    expect(problemOf({ ...without(INBOUND, 'Agent'), CallType: 'Missed' })).toBe('Agent');
    const queued = report({ ...without(INBOUND, 'Agent'), CallType: 'Missed', QueueExtension: '800' });
    expect(queued).toMatchObject({ to: '800', extension: '800', disposition: 'missed', answeredAt: null });
    const notAnswered = report({ ...INBOUND, CallType: 'Notanswered', Duration: '00:00:00' });
    expect(notAnswered).toMatchObject({ direction: 'outbound', from: '201', disposition: 'missed', answeredAt: null });
    expect(report({ ...INBOUND, CallType: 'notanswered' }).disposition).toBe('missed');
  });

  it('derives the same call id for a retried report, and another for another call', () => {
    const first = mapped(INBOUND).callId;
    expect(mapped({ ...INBOUND }).callId).toBe(first);
    // The same call written as text instead of milliseconds is the same call.
    const asText = without(INBOUND, 'CallStartTimeUTCMillis');
    expect(mapped({ ...asText, CallStartTimeUTC: '2026-12-07T09:00:00Z' }).callId).toBe(first);
    expect(mapped({ ...INBOUND, CallStartTimeUTCMillis: String(START + 60_000) }).callId).not.toBe(first);
    expect(mapped({ ...INBOUND, Agent: '202' }).callId).not.toBe(first);
    expect(mapped({ ...INBOUND, CallType: 'Missed' }).callId).not.toBe(first);
  });

  it('reads [DateTime] and [Duration] alone only in the zone the request names', () => {
    const bare = {
      CallType: 'Inbound',
      Number: '+4930123456',
      Agent: '201',
      Duration: '00:02:30',
      DateTime: '2026-12-07 10:00:00',
    };
    expect(problemOf(bare)).toBe('DateTime');
    const r = report(bare, 'Europe/Berlin');
    expect(r.startedAt.toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(r.endedAt?.toISOString()).toBe('2026-12-07T09:02:30.000Z');
    expect(talkSeconds(r)).toBe(150);
    expect(report({ ...bare, DateTime: '2026-12-07T10:00:00+01:00' }).startedAt.toISOString()).toBe(
      '2026-12-07T09:00:00.000Z',
    );
  });

  it('refuses, naming the 3CX field: an unknown call type, no party, no time, an ambiguous date, a bad duration', () => {
    expect(problemOf({ ...INBOUND, CallType: 'Voicemail' })).toBe('CallType');
    expect(problemOf({ ...INBOUND, CallType: 'constructor' })).toBe('CallType');
    expect(problemOf(without(INBOUND, 'CallType'))).toBe('CallType');
    expect(problemOf(without(INBOUND, 'Number'))).toBe('Number');
    expect(problemOf(without(INBOUND, 'CallStartTimeUTCMillis', 'CallStartTimeUTC', 'DateTime'))).toBe(
      'CallStartTimeUTC',
    );
    // 03/04/2026 is 3 April or 4 March, by the PBX's culture: refused, not guessed.
    const text = without(INBOUND, 'CallStartTimeUTCMillis');
    expect(problemOf({ ...text, CallStartTimeUTC: '03/04/2026 09:00:00' })).toBe('CallStartTimeUTC');
    expect(report({ ...text, CallStartTimeUTC: '13/04/2026 09:00:00' }).startedAt.toISOString()).toBe(
      '2026-04-13T09:00:00.000Z',
    );
    expect(problemOf({ ...text, CallStartTimeUTC: '2026-02-30 09:00:00' })).toBe('CallStartTimeUTC');
    expect(problemOf({ ...INBOUND, CallStartTimeUTCMillis: 'soon' })).toBe('CallStartTimeUTCMillis');
    expect(problemOf({ ...INBOUND, Duration: 'a minute' })).toBe('Duration');
    expect(threeCxReport([INBOUND])).toMatchObject({ problem: { field: 'body' } });
    // An end before the start passes the adapter; the public report's own check names it.
    const parsed = parseCallReport(mapped({ ...INBOUND, CallEndTimeUTCMillis: String(START - 1000) }));
    expect('problem' in parsed && parsed.problem.field).toBe('endedAt');
  });

  it('reads durations as 3CX writes them', () => {
    expect(durationMs('00:01:05')).toBe(65_000);
    expect(durationMs('1.02:00:00')).toBe(93_600_000);
    expect(durationMs('00:00:01.5000000')).toBe(1_500);
    expect(durationMs('42')).toBe(42_000);
    expect(durationMs('1:60:00')).toBeUndefined();
  });
});
