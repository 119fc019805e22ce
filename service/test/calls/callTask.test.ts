import { notLoggedBecause, taskFieldsOf } from '../../src/calls/callTask';
import { mergeCall, parseCallReport } from '../../src/calls/callEvent';
import { DEFAULT_CALL_LOGGING, type MergedCall } from '../../src/model/calls';

function call(overrides: Record<string, unknown> = {}): MergedCall {
  const parsed = parseCallReport({
    callId: 'pbx-3001',
    direction: 'inbound',
    from: '+14155552671',
    to: '201',
    extension: '201',
    startedAt: '2026-12-07T23:59:30Z',
    answeredAt: '2026-12-07T23:59:35Z',
    endedAt: '2026-12-08T00:01:05Z',
    disposition: 'answered',
    recordingUrl: 'https://pbx.example.com/rec/3001.wav',
    ...overrides,
  });
  if (!('report' in parsed)) throw new Error(parsed.problem.message);
  return mergeCall(null, parsed.report);
}

const CONTACT = { sobject: 'Contact', recordId: '003000000000001AAA' };

describe('a call as a Task', () => {
  it('carries what Salesforce telephony Tasks carry, the call id as CallObject', () => {
    expect(taskFieldsOf(call(), CONTACT, '005000000000001AAA')).toEqual({
      Subject: 'Inbound call from +14155552671',
      TaskSubtype: 'Call',
      Type: 'Call',
      CallType: 'Inbound',
      CallDurationInSeconds: 90,
      CallObject: 'pbx-3001',
      CallDisposition: 'Answered',
      Status: 'Completed',
      ActivityDate: '2026-12-07',
      Description: [
        'From: +14155552671',
        'To: 201',
        'Extension: 201',
        'Started: 2026-12-07T23:59:30.000Z',
        'Answered: 2026-12-07T23:59:35.000Z',
        'Ended: 2026-12-08T00:01:05.000Z',
        'Disposition: Answered',
        'Recording: https://pbx.example.com/rec/3001.wav',
        'Call id: pbx-3001',
      ].join('\n'),
      WhoId: '003000000000001AAA',
      OwnerId: '005000000000001AAA',
    });
  });

  it('names missed and outbound calls, and logs a Person Account as WhatId', () => {
    const missed = taskFieldsOf(call({ disposition: 'missed', answeredAt: null }), CONTACT, null);
    expect(missed).toMatchObject({ Subject: 'Missed call from +14155552671', CallDurationInSeconds: 0 });
    expect(missed).not.toHaveProperty('OwnerId');
    const out = taskFieldsOf(call({ direction: 'outbound', from: '201', to: '+14155552671' }), CONTACT, null);
    expect(out).toMatchObject({ Subject: 'Outbound call to +14155552671', CallType: 'Outbound' });
    const person = taskFieldsOf(call(), { sobject: 'Account', recordId: '001000000000001AAA' }, null);
    expect(person).toMatchObject({ WhatId: '001000000000001AAA' });
    expect(person).not.toHaveProperty('WhoId');
  });
});

describe('which calls are logged', () => {
  it('logs inbound and outbound calls, answered or not, by default; not internal ones', () => {
    expect(notLoggedBecause(call(), DEFAULT_CALL_LOGGING)).toBeNull();
    expect(notLoggedBecause(call({ disposition: 'busy', answeredAt: null }), DEFAULT_CALL_LOGGING)).toBeNull();
    expect(notLoggedBecause(call({ direction: 'internal', from: '202' }), DEFAULT_CALL_LOGGING)).toBe(
      'internal calls have no Salesforce record to be logged on',
    );
  });

  it('follows the settings: directions, unanswered calls, a minimum duration', () => {
    const settings = { ...DEFAULT_CALL_LOGGING, outbound: false, unanswered: false, minimumSeconds: 120 };
    expect(notLoggedBecause(call({ direction: 'outbound', from: '201', to: '+14155552671' }), settings)).toBe(
      'outbound calls are not logged',
    );
    expect(notLoggedBecause(call({ disposition: 'voicemail', answeredAt: null }), settings)).toBe(
      'unanswered calls are not logged',
    );
    expect(notLoggedBecause(call(), settings)).toBe('shorter than the minimum duration (90 s < 120 s)');
    expect(notLoggedBecause(call({ endedAt: '2026-12-08T00:02:00Z' }), settings)).toBeNull();
  });

  it('waits for the end of an answered call, so its Task has the talk time (Kamailio reports the answer first)', () => {
    expect(notLoggedBecause(call({ endedAt: null }), DEFAULT_CALL_LOGGING)).toBe(
      'still going on (no end reported yet)',
    );
    expect(notLoggedBecause(call(), DEFAULT_CALL_LOGGING)).toBeNull();
  });
});
