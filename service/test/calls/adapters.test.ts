import { freeswitchReport } from '../../src/calls/adapters/freeswitch';
import { kamailioReport } from '../../src/calls/adapters/kamailio';
import { asteriskReport, wallTimeToIso } from '../../src/calls/adapters/asterisk';
import { directionOf, isExtension } from '../../src/calls/adapters/parties';
import { mergeCall, parseCallReport, talkSeconds, type CallReport, type MergedCall } from '../../src/calls/callEvent';

/** What the PBXs send, as their documentation shows it, mapped to the public report and merged into one call. */

function report(mapped: unknown): CallReport {
  const parsed = parseCallReport(mapped);
  if (!('report' in parsed)) throw new Error(`refused: ${parsed.problem.field}: ${parsed.problem.message}`);
  return parsed.report;
}

const merged = (...reports: CallReport[]): MergedCall =>
  reports.reduce<MergedCall | null>((call, r) => mergeCall(call, r), null) as MergedCall;

/** mod_json_cdr's record of one leg (encode-values=false), trimmed to what is read plus some noise. */
function fsLeg(variables: Record<string, string>) {
  return {
    'core-uuid': '6d0c3b9e-0000-4000-8000-000000000001',
    switchname: 'pbx1',
    channel_data: { state: 'CS_REPORTING', direction: variables.direction },
    variables: { hangup_cause: 'NORMAL_CLEARING', last_app: 'bridge', ...variables },
    callflow: [{ caller_profile: { username: '1000', caller_id_number: variables.caller_id_number } }],
  };
}

describe('FreeSWITCH mod_json_cdr', () => {
  const aLeg = fsLeg({
    uuid: 'a1b2c3d4-0000-4000-8000-00000000000a',
    call_uuid: 'a1b2c3d4-0000-4000-8000-00000000000a',
    direction: 'inbound',
    caller_id_number: '+14155552671',
    destination_number: '201',
    start_epoch: '1796634000',
    answer_epoch: '1796634005',
    end_epoch: '1796634125',
  });
  const bLeg = fsLeg({
    uuid: 'b1b2c3d4-0000-4000-8000-00000000000b',
    originating_leg_uuid: 'a1b2c3d4-0000-4000-8000-00000000000a',
    direction: 'outbound',
    caller_id_number: '%2B14155552671',
    destination_number: '201',
    start_epoch: '1796634001',
    answer_epoch: '1796634005',
    end_epoch: '1796634126',
  });

  it('makes the two legs of a bridged call one inbound call to the extension', () => {
    const call = merged(report(freeswitchReport(aLeg)), report(freeswitchReport(bLeg)));
    expect(call).toMatchObject({
      callId: 'a1b2c3d4-0000-4000-8000-00000000000a',
      direction: 'inbound',
      from: '+14155552671',
      to: '201',
      extension: '201',
      disposition: 'answered',
    });
    expect(call.legIds).toHaveLength(2);
    expect(call.startedAt.toISOString()).toBe(new Date(1796634000_000).toISOString());
    expect(talkSeconds(call)).toBe(121);
  });

  it('reads busy, missed and voicemail from the hangup cause and the last application', () => {
    const busy = fsLeg({
      uuid: 'c',
      direction: 'inbound',
      caller_id_number: '+14155552671',
      destination_number: '201',
      start_epoch: '1796634000',
      answer_epoch: '0',
      end_epoch: '1796634003',
      hangup_cause: 'USER_BUSY',
    });
    expect(report(freeswitchReport(busy)).disposition).toBe('busy');
    const missed = { ...busy, variables: { ...busy.variables, hangup_cause: 'NO_ANSWER' } };
    expect(report(freeswitchReport(missed)).disposition).toBe('missed');
    const voicemail = { ...busy, variables: { ...busy.variables, answer_epoch: '1796634010', last_app: 'voicemail' } };
    const vm = report(freeswitchReport(voicemail));
    expect(vm.disposition).toBe('voicemail');
    expect(vm.answeredAt).toBeNull();
  });

  it('calls a call from an extension to a number outbound, and between extensions internal', () => {
    const out = fsLeg({
      uuid: 'd',
      direction: 'inbound',
      caller_id_number: '201',
      destination_number: '0049301234567',
      start_epoch: '1796634000',
      answer_epoch: '0',
      end_epoch: '1796634009',
    });
    expect(report(freeswitchReport(out))).toMatchObject({ direction: 'outbound', extension: '201' });
    const internal = fsLeg({
      uuid: 'e',
      direction: 'inbound',
      caller_id_number: '201',
      destination_number: '202',
      start_epoch: '1796634000',
      answer_epoch: '0',
      end_epoch: '1796634009',
    });
    expect(report(freeswitchReport(internal)).direction).toBe('internal');
  });

  it('leaves out what it cannot find, so the report names the field', () => {
    const parsed = parseCallReport(freeswitchReport({ variables: { uuid: 'f', caller_id_number: '201' } }));
    expect('problem' in parsed && parsed.problem.field).toBe('direction');
    const noTimes = parseCallReport(
      freeswitchReport(fsLeg({ uuid: 'g', caller_id_number: '+14155552671', destination_number: '201' })),
    );
    expect('problem' in noTimes && noTimes.problem.field).toBe('startedAt');
  });
});

describe('Kamailio acc_json', () => {
  const invite = {
    method: 'INVITE',
    from_tag: 'ft',
    to_tag: 'tt',
    callid: 'kam-1@pbx',
    sip_code: '200',
    sip_reason: 'OK',
    time: 1796634005,
    src_user: '+14155552671',
    dst_user: '201',
  };
  const bye = {
    ...invite,
    method: 'BYE',
    sip_code: '200',
    time: 1796634065,
    src_user: '201',
    dst_user: '+14155552671',
  };

  it('makes the INVITE and the BYE one answered call with its talk time', () => {
    const call = merged(report(kamailioReport(invite)), report(kamailioReport(bye)), report(kamailioReport(bye)));
    expect(call).toMatchObject({
      callId: 'kam-1@pbx',
      direction: 'inbound',
      from: '+14155552671',
      to: '201',
      disposition: 'answered',
    });
    expect(call.legIds).toEqual(['INVITE', 'BYE']);
    expect(talkSeconds(call)).toBe(60);
  });

  it('reads a failed INVITE as busy (486) or missed (acc_missed)', () => {
    expect(report(kamailioReport({ ...invite, sip_code: '486' })).disposition).toBe('busy');
    const missed = report(kamailioReport({ ...invite, sip_code: '487' }));
    expect(missed.disposition).toBe('missed');
    expect(missed.endedAt?.toISOString()).toBe(new Date(1796634005_000).toISOString());
  });

  it('reads the records a real Kamailio 5.6 wrote (acc_time_mode 2: seconds with a fraction)', () => {
    // Captured from the config kamailioAcc.test.ts runs: SIPp calls 201 and hangs up after 60 s. The BYE's
    // dst_user is its request URI's: the callee's Contact user.
    const tags = { from_tag: '20766SIPpTag001', to_tag: '20725SIPpTag011', callid: '1-20766@127.0.0.1' };
    const ok = { sip_code: '200', sip_reason: 'OK', src_user: '+14155552671' };
    const real = [
      { time: 1796646375.9677391, method: 'INVITE', ...tags, ...ok, dst_user: '201' },
      { time: 1796646435.9748271, method: 'BYE', ...tags, ...ok, dst_user: 'callee' },
    ];
    const call = merged(...real.map((record) => report(kamailioReport(record))));
    expect(call).toMatchObject({
      callId: '1-20766@127.0.0.1',
      direction: 'inbound',
      from: '+14155552671',
      to: '201',
      extension: '201',
      disposition: 'answered',
    });
    expect(call.answeredAt?.toISOString()).toBe('2026-12-07T12:26:15.967Z');
    expect(call.endedAt?.toISOString()).toBe('2026-12-07T12:27:15.974Z');
    expect(talkSeconds(call)).toBe(60);
  });

  it('needs the parties from acc_extra', () => {
    const parsed = parseCallReport(
      kamailioReport({ method: 'INVITE', callid: 'x', sip_code: '200', time: 1796634005 }),
    );
    expect('problem' in parsed && parsed.problem.field).toBe('direction');
  });
});

describe('Asterisk AMI Cdr', () => {
  // The fields cdr_manager sends, as an HTTP bridge posts them.
  const cdr = {
    Event: 'Cdr',
    AccountCode: '',
    Source: '+14155552671',
    Destination: '201',
    DestinationContext: 'from-trunk',
    CallerID: '"Ada" <+14155552671>',
    Channel: 'PJSIP/trunk-00000001',
    DestinationChannel: 'PJSIP/201-00000002',
    LastApplication: 'Dial',
    LastData: 'PJSIP/201,30',
    StartTime: '2026-12-07 10:00:00',
    AnswerTime: '2026-12-07 10:00:04',
    EndTime: '2026-12-07 10:01:34',
    Duration: '94',
    BillableSeconds: '90',
    Disposition: 'ANSWERED',
    AMAFlags: 'DOCUMENTATION',
    UniqueID: '1796637600.11',
    LinkedID: '1796637600.10',
    UserField: '',
  };

  it('reads the local times in the PBX zone, and the call by its LinkedID', () => {
    const r = report(asteriskReport(cdr, 'Europe/Berlin'));
    expect(r).toMatchObject({
      callId: '1796637600.10',
      legId: '1796637600.11',
      direction: 'inbound',
      extension: '201',
    });
    expect(r.startedAt.toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(talkSeconds(r)).toBe(90);
    expect(report(asteriskReport(cdr)).startedAt.toISOString()).toBe('2026-12-07T10:00:00.000Z');
  });

  it('reads busy, no answer and voicemail', () => {
    expect(report(asteriskReport({ ...cdr, Disposition: 'BUSY', AnswerTime: '' })).disposition).toBe('busy');
    const missed = report(asteriskReport({ ...cdr, Disposition: 'NO ANSWER', AnswerTime: '' }));
    expect(missed.disposition).toBe('missed');
    expect(missed.answeredAt).toBeNull();
    const vm = report(asteriskReport({ ...cdr, LastApplication: 'VoiceMail' }));
    expect(vm.disposition).toBe('voicemail');
    expect(vm.answeredAt).toBeNull();
  });

  it('turns wall-clock times into UTC across daylight saving changes', () => {
    expect(wallTimeToIso('2026-07-01 12:00:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00.000Z');
    expect(wallTimeToIso('2026-01-01 12:00:00', 'Europe/Berlin')).toBe('2026-01-01T11:00:00.000Z');
    expect(wallTimeToIso('2026-03-29 03:30:00', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(wallTimeToIso('2026-11-01 08:00:00', 'America/New_York')).toBe('2026-11-01T13:00:00.000Z');
    expect(wallTimeToIso('', 'UTC')).toBeUndefined();
    expect(wallTimeToIso('07.12.2026 10:00', 'UTC')).toBeUndefined();
  });
});

describe('parties', () => {
  it('takes short digit strings (after sip: and before @) for extensions', () => {
    expect(isExtension('201')).toBe(true);
    expect(isExtension('sip:201@pbx.example.com')).toBe(true);
    expect(isExtension('4155552671')).toBe(false);
    expect(isExtension('+201')).toBe(false);
    expect(isExtension('1234567', 8)).toBe(true);
    expect(directionOf('201', '202')).toBe('internal');
    expect(directionOf('201', '+14155552671')).toBe('outbound');
    expect(directionOf('+14155552671', '201')).toBe('inbound');
  });
});
