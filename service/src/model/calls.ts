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
