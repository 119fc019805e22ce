import type { CountryCode } from 'libphonenumber-js';
import type { Logger } from 'pino';
import type { Database } from '../store/types';
import {
  callByCallId,
  lockCallId,
  queueCallTask,
  saveCall,
  saveCallReject,
  type CallRecordMatch,
} from '../store/calls';
import type { SettingsLookup } from '../sync/rules/context';
import { stableHash } from '../sync/rules/hash';
import { storableText } from '../sync/rules/storableText';
import { writesToSalesforce } from '../sync/outbound/telephonyCreate';
import { notLoggedBecause, taskFieldsOf } from './callTask';
import { callerDetailByNumbers, callerNameByNumbers } from '../directory/callerIdLookup';
import { recordsForNumber } from '../directory/callMatches';
import { internalUserByExtension } from '../store/state/internalUsers';
import { mergeCall, otherPartyE164, parseCallReport, type CallProblem } from './callEvent';
import { freeswitchReport } from './adapters/freeswitch';
import { kamailioReport } from './adapters/kamailio';
import { asteriskReport } from './adapters/asterisk';
import { threeCxReport } from './adapters/threeCx';

/**
 * Where call reports come in (the HTTP routes hand over what a PBX sent, by source) and become calls.
 *
 * Contract: `receive` either refuses the report — the problem names the field, the report is kept in
 * call_rejects for an admin, nothing else is stored — or applies it: in one transaction, under the call id's
 * lock, merged with what earlier reports of the call said (retries and legs make one call) and matched by the
 * other party's number to a directory contact and one Salesforce record per org. Applying the same report again
 * changes nothing. Logs name the source and the field, never the numbers.
 */
export const CALL_SOURCES = ['api', 'freeswitch', 'kamailio', 'asterisk', '3cx'] as const;
export type CallSource = (typeof CALL_SOURCES)[number];

export interface CallIntakeOptions {
  db: Database;
  logger: Logger;
  defaultCountry: CountryCode;
  /** Longest number that is one of our extensions (adapters/parties.ts). */
  extensionDigits?: number;
  /**
   * Makes a directory contact for a number nobody has, for the orgs whose sync says so (Unknown_Callers__c),
   * once per number however many calls come at once (sync/outbound/contactChanges.ts createForUnknownCaller);
   * absent, or no org wanting it: unknown callers stay numbers. Asked before the call is stored, so the call
   * is matched to the new contact.
   */
  createUnknownCaller?: (e164: string) => Promise<unknown>;
  /**
   * Whether any connected org's sync wants unknown callers created now; false spares every call the number's
   * lookup (the default: Unknown_Callers__c None everywhere). Absent: asked whenever createUnknownCaller is given.
   */
  unknownCallersWanted?: () => boolean;
  /**
   * The connected orgs' sync settings: a call matched in an org whose sync takes telephony-side changes is
   * logged there as a Task (through the outbox and its write-back worker) when the sync's call logging
   * settings (policy.calls.logging) want it.
   */
  settingsOf?: SettingsLookup;
  /** Whether calls become Tasks at all (CALLS_TASKS); false: the intake only keeps and matches calls. */
  logTasks?: boolean;
  /** Told the orgs a report queued a Task in, after it committed, so their workers look now. */
  onTasksQueued?: (orgIds: string[]) => void;
}

export type CallReceipt =
  { id: string; callId: string; matched: CallRecordMatch[]; tasksQueued: string[] } | { problem: CallProblem };

export class CallIntake {
  constructor(private readonly options: CallIntakeOptions) {}

  /** A failure here costs the caller's contact, never the call: it is logged and the call stored as it is. */
  private async makeUnknownCallerKnown(e164: string | null): Promise<void> {
    const { db, logger, createUnknownCaller, unknownCallersWanted } = this.options;
    if (!e164 || !createUnknownCaller || unknownCallersWanted?.() === false) return;
    if (await callerNameByNumbers(db, [e164], null)) return;
    try {
      await createUnknownCaller(e164);
    } catch (err) {
      logger.warn({ reason: err instanceof Error ? err.message : String(err) }, 'unknown caller: no contact made');
    }
  }

  /**
   * The public report shape of what the source sent (adapters map PBX formats; the API's is the shape), or the
   * problem an adapter that checks its own format (3CX's) found, naming the PBX's field.
   */
  private reportOf(
    source: CallSource,
    body: unknown,
    timeZone?: string,
  ): { mapped: unknown } | { problem: CallProblem } {
    const digits = this.options.extensionDigits;
    if (source === 'freeswitch') return { mapped: freeswitchReport(body, digits) };
    if (source === 'kamailio') return { mapped: kamailioReport(body, digits) };
    if (source === 'asterisk') return { mapped: asteriskReport(body, timeZone ?? 'UTC', digits) };
    if (source === '3cx') {
      const result = threeCxReport(body, timeZone, digits);
      return 'problem' in result ? result : { mapped: result.report };
    }
    return { mapped: body };
  }

  /**
   * `timeZone`: where a source that writes local times without a zone is, when the request names it: Asterisk's
   * CDR reads UTC without one; 3CX's [DateTime] is refused without one (adapters/threeCx.ts).
   */
  async receive(source: CallSource, body: unknown, timeZone?: string): Promise<CallReceipt> {
    const { db, logger, defaultCountry } = this.options;
    const adapted = this.reportOf(source, body, timeZone);
    const mapped = 'mapped' in adapted ? adapted.mapped : null;
    const parsed = 'mapped' in adapted ? parseCallReport(mapped) : adapted;
    if ('problem' in parsed) {
      const callId = (mapped as { callId?: unknown } | null)?.callId;
      const problem =
        typeof callId === 'string' && callId.length <= 255 ? { ...parsed.problem, record: callId } : parsed.problem;
      await saveCallReject(db, { source, field: problem.field, message: problem.message, report: storableCopy(body) });
      logger.info({ source, field: problem.field }, 'call report refused; kept for inspection');
      return { problem };
    }
    const { report } = parsed;
    await this.makeUnknownCallerKnown(otherPartyE164(report, defaultCountry));
    const receipt = await db.transaction(async (tx) => {
      await lockCallId(tx, report.callId);
      const call = mergeCall(await callByCallId(tx, report.callId), report);
      const otherE164 = otherPartyE164(call, defaultCountry);
      const contact = otherE164 ? await callerDetailByNumbers(tx, [otherE164], null) : null;
      const matched: CallRecordMatch[] = [];
      for (const { orgId, sobject, recordId } of otherE164 ? await recordsForNumber(tx, otherE164) : []) {
        const ownerId = call.extension ? await internalUserByExtension(tx, orgId, call.extension) : null;
        matched.push({ orgId, sobject, recordId, ownerId });
      }
      const id = await saveCall(tx, { call, source, otherE164, contactId: contact?.id ?? null, matched });
      const tasksQueued: string[] = [];
      const { settingsOf, logTasks } = this.options;
      for (const record of matched) {
        const settings = settingsOf?.(record.orgId);
        if (!logTasks || !settings || !writesToSalesforce(settings)) continue;
        if (notLoggedBecause(call, settings.policy.calls.logging) !== null) continue;
        const payload = taskFieldsOf(call, record, record.ownerId);
        const task = { orgId: record.orgId, callId: id, payload, payloadHash: stableHash(payload) };
        if (await queueCallTask(tx, task)) tasksQueued.push(record.orgId);
      }
      return { id, callId: call.callId, matched, tasksQueued };
    });
    if (receipt.tasksQueued.length > 0) this.options.onTasksQueued?.(receipt.tasksQueued);
    return receipt;
  }
}

/**
 * A refused report as it can be kept: the text of every key and value cleaned by the storable-text rule (U+0000
 * removed, lone surrogates replaced), since jsonb refuses both — the report was refused for holding them, and
 * keeping it must not fail too.
 */
function storableCopy(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value).text;
  if (Array.isArray(value)) return value.map(storableCopy);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k).text, storableCopy(v)]));
  }
  return value;
}
