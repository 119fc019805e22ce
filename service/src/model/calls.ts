/**
 * A call as the PBXs report it and as it is stored (calls/ reads reports into it, store/calls.ts keeps it):
 * shared types only. The rules that read and merge reports are calls/callEvent.ts.
 */
export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export type CallDirection = (typeof DIRECTIONS)[number];

/** From weakest to strongest: when legs disagree, the call is what its strongest leg says. */
export const DISPOSITIONS = ['missed', 'busy', 'voicemail', 'answered'] as const;
export type CallDisposition = (typeof DISPOSITIONS)[number];

export interface CallReport {
  callId: string;
  /** Tells legs of one call apart; a report without one is the whole call (legs of one report are the same leg). */
  legId: string | null;
  direction: CallDirection;
  from: string;
  to: string;
  /** The extension that handled the call on our side (owner of the Task, internal calls). */
  extension: string | null;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  disposition: CallDisposition;
  recordingUrl: string | null;
}

/** A call after every report of it so far. */
export interface MergedCall extends Omit<CallReport, 'legId'> {
  legIds: string[];
}

/**
 * Which calls a sync logs as Tasks (the sync record's Log_*_Calls__c and Minimum_Call_Seconds__c fields); the
 * rule that applies it is calls/callTask.ts notLoggedBecause. Internal calls have no setting: two extensions
 * talking have no Salesforce record as the other party, so there is nothing to log them on.
 */
export interface CallLogging {
  inbound: boolean;
  outbound: boolean;
  /** Calls nobody answered (missed, busy, voicemail). */
  unanswered: boolean;
  /** Answered calls shorter than this are not logged (a wrong number picked up and put down). */
  minimumSeconds: number;
}

/** The package's field defaults (a sync saved before call logging existed reads as these). */
export const DEFAULT_CALL_LOGGING: CallLogging = {
  inbound: true,
  outbound: true,
  unanswered: true,
  minimumSeconds: 0,
};

/**
 * A call's Task has its own health entry (side telephony), keyed by the call (its uuid), never by the contact:
 * a failing Task must not mark, nor a logged one clear, the contact's own entry.
 */
const TASK_HEALTH_PREFIX = 'task:';
export const taskHealthKey = (callUuid: string): string => `${TASK_HEALTH_PREFIX}${callUuid}`;
/** The call a health entry's key names, or null for a contact's or a record's entry. */
export const callOfHealthKey = (key: string): string | null =>
  key.startsWith(TASK_HEALTH_PREFIX) ? key.slice(TASK_HEALTH_PREFIX.length) : null;

/** What a call from a number no synced record has creates in an org (Unknown_Callers__c). */
export type UnknownCallers = 'none' | 'Lead' | 'Contact';
