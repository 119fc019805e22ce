import pino from 'pino';
import { CommandDesk } from '../../../src/runtime/commands/commandDesk';
import { CommandRefusedError } from '../../../src/runtime/commands/commandRunner';
import type { RawPubSubEvent } from '../../../src/salesforce/pubsub/changeEvent';
import { listAudit, type AuditRecord } from '../../../src/store/audit';
import { upsertOrg } from '../../../src/store/state/orgs';
import { isEventProcessed } from '../../../src/store/state/processedEvents';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import { fakeCommandTarget } from '../../support/commandTarget';

const ORG = 'primary';
const SYNC_ID = 'a0A000000000001AAA';

function commandEvent(id: string, payload: Record<string, unknown>): RawPubSubEvent {
  return {
    id,
    replayId: 42,
    payload: { Sync_Id__c: SYNC_ID, Requested_By__c: '005000000000001AAA', Request_Id__c: `request-${id}`, ...payload },
  };
}

/**
 * One desk receives the commands of both sources, and writes the audit: each command, from the service's
 * API or from the package's command event, is exactly one entry, whatever came of it.
 */
describeEachBackend('command desk', (getDb) => {
  let target: ReturnType<typeof fakeCommandTarget>;
  let desk: CommandDesk;
  const commandEntries = async (): Promise<AuditRecord[]> =>
    (await listAudit(getDb(), { limit: 100 })).filter((e) => e.action === 'command').reverse();

  beforeEach(async () => {
    await resetDatabase(getDb());
    await upsertOrg(getDb(), { id: ORG, name: 'Acme', loginUrl: 'https://login.example.com' });
    target = fakeCommandTarget();
    desk = new CommandDesk({ db: getDb(), orgId: ORG, namespace: '', target, logger: pino({ level: 'silent' }) });
  });

  it('audits a command from the API once: origin telephony, its outcome, the body that arrived', async () => {
    const outcome = await desk.fromApi({ command: 'syncRecords', recordIds: ['003000000000001AAA'] });
    expect(outcome).toEqual({
      command: 'syncRecords',
      summary: 'synced 1 record(s)',
      result: { applied: 1, retried: 0, skipped: [] },
    });
    expect(target.calls).toEqual(['syncRecords 003000000000001AAA']);
    const entries = await commandEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      orgId: ORG,
      contactId: null,
      recordId: null,
      origin: 'telephony',
      action: 'command',
      rule: 'synced 1 record(s)',
      before: null,
      after: { command: 'syncRecords', recordIds: ['003000000000001AAA'] },
    });
  });

  it("audits a command from the org's command event once: origin salesforce, its outcome, the payload", async () => {
    const raw = commandEvent('event-1', { Command__c: 'Pause' });
    const settled: string[] = [];
    expect(await desk.fromEvent(raw, async () => void settled.push('replay id saved'))).toMatch(/^paused/);
    expect(target.calls).toEqual(['pause']);
    expect(settled).toEqual(['replay id saved']);
    expect(await isEventProcessed(getDb(), ORG, 'event-1')).toBe(true);
    const entries = await commandEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      origin: 'salesforce',
      action: 'command',
      rule: expect.stringMatching(/^paused/),
      before: null,
      after: raw.payload,
    });
  });

  it('audits what did not run too, once per arrival: refused from either source, rejected, redelivered', async () => {
    const paused = fakeCommandTarget({ paused: true });
    desk = new CommandDesk({
      db: getDb(),
      orgId: ORG,
      namespace: '',
      target: paused,
      logger: pino({ level: 'silent' }),
    });
    await expect(desk.fromApi({ command: 'pause' })).rejects.toThrow(CommandRefusedError);
    const settle = async () => undefined;
    expect(await desk.fromEvent(commandEvent('event-2', { Command__c: 'Pause' }), settle)).toBe(
      'refused: pause refused: the sync is already paused',
    );
    expect(await desk.fromEvent(commandEvent('event-3', { Command__c: 'Reboot' }), settle)).toMatch(
      /^rejected: command event event-3: Command__c must be one of/,
    );
    expect(await desk.fromEvent(commandEvent('event-3', { Command__c: 'Reboot' }), settle)).toBe('already carried out');
    expect(paused.calls).toEqual([]);
    expect((await commandEntries()).map((e) => [e.origin, e.rule])).toEqual([
      ['telephony', 'refused: pause refused: the sync is already paused'],
      ['salesforce', 'refused: pause refused: the sync is already paused'],
      ['salesforce', expect.stringMatching(/^rejected: /)],
      ['salesforce', 'already carried out'],
    ]);
  });

  it('records nothing when the settling step fails: the event is not marked handled, so its redelivery runs', async () => {
    const raw = commandEvent('event-4', { Command__c: 'ConfigurationChanged' });
    await expect(
      desk.fromEvent(raw, async () => {
        throw new Error('replay id not saved');
      }),
    ).rejects.toThrow('replay id not saved');
    expect(await isEventProcessed(getDb(), ORG, 'event-4')).toBe(false);
    expect(await commandEntries()).toEqual([]);
  });
});
