import { stripNamespace } from './topics';
import type { RawPubSubEvent } from './changeEvent';
import { isSalesforceId } from '../../model/ids';

export const COMMANDS = [
  'StartInitialSync',
  'Pause',
  'Resume',
  'Delete',
  'DeleteAndRevert',
  'SystemsCheck',
  'SyncRecords',
  'ConfigurationChanged',
] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface CommandEvent {
  eventId: string;
  replayId: number;
  command: CommandName;
  syncId: string | null;
  recordIds: string[];
  requestedBy: string | null;
  requestId: string | null;
}

export class CommandEventError extends Error {
  constructor(
    eventId: string,
    readonly field: string,
    message: string,
  ) {
    super(`command event ${eventId}: ${field} ${message}`);
    this.name = 'CommandEventError';
  }
}

/** Reads a Switchboard_Command__e published by the package (Flow actions, LWC buttons). */
export function decodeCommandEvent(raw: RawPubSubEvent, namespace: string): CommandEvent {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw.payload)) fields[stripNamespace(namespace, key)] = value;
  const command = fields.Command__c;
  if (typeof command !== 'string' || !(COMMANDS as readonly string[]).includes(command)) {
    throw new CommandEventError(
      raw.id,
      'Command__c',
      `must be one of ${COMMANDS.join(', ')} (got ${JSON.stringify(command)})`,
    );
  }
  let recordIds: string[] = [];
  if (typeof fields.Record_Ids__c === 'string' && fields.Record_Ids__c.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fields.Record_Ids__c);
    } catch {
      throw new CommandEventError(raw.id, 'Record_Ids__c', 'is not JSON');
    }
    if (!Array.isArray(parsed) || !parsed.every((id) => typeof id === 'string' && isSalesforceId(id))) {
      throw new CommandEventError(raw.id, 'Record_Ids__c', 'must be a JSON array of record ids');
    }
    recordIds = parsed as string[];
  }
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    eventId: raw.id,
    replayId: raw.replayId,
    command: command as CommandName,
    syncId: text(fields.Sync_Id__c),
    recordIds,
    requestedBy: text(fields.Requested_By__c),
    requestId: text(fields.Request_Id__c),
  };
}
