import type { CallLogging, MergedCall } from '../model/calls';
import type { SfValue } from '../model/records';
import { talkSeconds } from './callEvent';

/**
 * A call as a Salesforce Task, and whether a sync's settings want it logged: pure rules, no I/O.
 *
 * The Task is what Salesforce's own telephony integrations (Open CTI, Service Cloud Voice) write, so reports
 * and list views that count calls see ours too: `TaskSubtype` and `Type` Call, `CallType` Inbound / Outbound /
 * Internal, `CallDurationInSeconds` (talk time), `CallObject` = the PBX's call id (≤ 255; the org-side key that
 * makes a retried create findable, as Switchboard_Directory_Id__c is for contacts), `CallDisposition`, Status
 * Completed, `ActivityDate` the call's day (UTC), and a description with the numbers as the PBX gave them.
 * The record: a Contact or Lead as `WhoId`; a Person Account as `WhatId` (WhoId takes only Contacts and Leads).
 */
/** Why a call is not logged, or null when it is. */
export function notLoggedBecause(call: MergedCall, settings: CallLogging): string | null {
  if (call.direction === 'internal') return 'internal calls have no Salesforce record to be logged on';
  if (!settings[call.direction]) return `${call.direction} calls are not logged`;
  if (call.disposition !== 'answered') return settings.unanswered ? null : 'unanswered calls are not logged';
  // A PBX that reports the answer before the end (Kamailio's INVITE record, then the BYE's) would otherwise get a
  // Task with no talk time, which the end cannot change once Salesforce has it: the end's report logs the call.
  if (!call.endedAt) return 'still going on (no end reported yet)';
  const seconds = talkSeconds(call);
  return seconds < settings.minimumSeconds
    ? `shorter than the minimum duration (${seconds} s < ${settings.minimumSeconds} s)`
    : null;
}

const CALL_TYPE = { inbound: 'Inbound', outbound: 'Outbound', internal: 'Internal' } as const;
const DISPOSITION = { answered: 'Answered', missed: 'Missed', busy: 'Busy', voicemail: 'Voicemail' } as const;

/** "Inbound call from +1 …", "Missed call from …", "Outbound call to …" (Salesforce's Subject holds 255). */
function subjectOf(call: MergedCall): string {
  const other = call.direction === 'outbound' ? `to ${call.to}` : `from ${call.from}`;
  const kind =
    call.disposition === 'answered'
      ? `${CALL_TYPE[call.direction]} call`
      : `${DISPOSITION[call.disposition]} ${call.direction === 'outbound' ? 'outbound ' : ''}call`;
  return `${kind} ${other}`.slice(0, 255);
}

function descriptionOf(call: MergedCall): string {
  const lines = [
    `From: ${call.from}`,
    `To: ${call.to}`,
    call.extension ? `Extension: ${call.extension}` : null,
    `Started: ${call.startedAt.toISOString()}`,
    call.answeredAt ? `Answered: ${call.answeredAt.toISOString()}` : null,
    call.endedAt ? `Ended: ${call.endedAt.toISOString()}` : null,
    `Disposition: ${DISPOSITION[call.disposition]}`,
    call.recordingUrl ? `Recording: ${call.recordingUrl}` : null,
    `Call id: ${call.callId}`,
  ];
  return lines.filter((line): line is string => line !== null).join('\n');
}

/** Every field a call's Task may be created with (the systems check asks that the integration user can set them). */
export const TASK_FIELDS = [
  'Subject',
  'TaskSubtype',
  'Type',
  'CallType',
  'CallDurationInSeconds',
  'CallObject',
  'CallDisposition',
  'Status',
  'ActivityDate',
  'Description',
  'WhoId',
  'WhatId',
  'OwnerId',
] as const;

/** The Task's fields for a call logged against `record`; `ownerId` is the user whose extension took it, if known. */
export function taskFieldsOf(
  call: MergedCall,
  record: { sobject: string; recordId: string },
  ownerId: string | null,
): Record<string, SfValue> {
  const fields: Record<string, SfValue> = {
    Subject: subjectOf(call),
    TaskSubtype: 'Call',
    Type: 'Call',
    CallType: CALL_TYPE[call.direction],
    CallDurationInSeconds: talkSeconds(call),
    CallObject: call.callId,
    CallDisposition: DISPOSITION[call.disposition],
    Status: 'Completed',
    ActivityDate: call.startedAt.toISOString().slice(0, 10),
    Description: descriptionOf(call),
  };
  if (record.sobject === 'Account') fields.WhatId = record.recordId;
  else fields.WhoId = record.recordId;
  if (ownerId) fields.OwnerId = ownerId;
  return fields;
}
