import pino from 'pino';
import {
  eventually,
  linkedContact,
  linkedQuietContacts,
  startStack,
  uiCreate,
  updateSyncRecord,
  type Stack,
} from '../support/harness';
import { startService, type RunningService } from '../../src/service';
import { openDatabase } from '../../src/store/db';
import { Leadership } from '../../src/store/state/leadership';
import { editContactFromTelephony } from '../../src/sync/outbound/telephonyEdit';
import type { Database } from '../../src/store/types';

const silent = pino({ level: 'silent' });

describe('subscriber election on PGlite', () => {
  it('always leads: the embedded database belongs to one process', async () => {
    const db = await openDatabase({});
    const onLeader = jest.fn();
    const leadership = new Leadership({ db, orgId: 'primary', logger: silent, onLeader, onFollower: jest.fn() });
    try {
      await leadership.start();
      expect(leadership.role).toBe('leader');
      expect(onLeader).toHaveBeenCalledTimes(1);
    } finally {
      await leadership.stop();
      await db.close();
    }
  });
});

// Two service instances need a database server both reach; PGlite is private to one process.
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres('subscriber election: two service instances on one Postgres (needs DATABASE_URL)', () => {
  let stack: Stack;
  let secondDb: Database;
  let second: RunningService;
  const ELECTION = { electionRetryMs: 100 };
  const instances = () => [stack.service, second];
  const leaders = () => instances().filter((s) => s.orgs[0].status().role === 'leader');

  beforeAll(async () => {
    stack = await startStack({ service: ELECTION });
    secondDb = await openDatabase({ databaseUrl: stack.databaseUrl });
    second = await startService(stack.config, {
      logger: silent,
      db: secondDb,
      initialSync: false,
      subscriber: { backoff: { initialMs: 50, maxMs: 400 } },
      ...ELECTION,
    });
  });

  afterAll(async () => {
    await second?.close().catch(() => undefined);
    await secondDb?.close();
    await stack?.close();
  });

  it('runs the change and command subscribers on one instance only; the other follows and shares no stream', async () => {
    const [leader, follower] = [stack.service.orgs[0], second.orgs[0]];
    expect(leader.status().role).toBe('leader');
    expect(follower.status()).toMatchObject({ role: 'follower', subscriber: 'idle' });
    expect(follower.commands.subscriber.state).toBe('idle');
    const id = uiCreate(stack, 'Contact', { LastName: 'Elected', Phone: '+1 415 555 0301' });
    await eventually(() => linkedContact(stack, id), 'the change applied by the leader');
    expect(leader.status().eventsApplied).toBeGreaterThan(0);
    expect(follower.status().eventsApplied).toBe(0);
    // Subscriber commands go to the leader; the follower says so.
    const res = await fetch(`${second.url}/api/v1/orgs/primary/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${second.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ command: 'pause' }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /another service instance runs this org's subscribers/,
    );
  });

  it("a pause on the leader holds the follower's write-back and reconcile too, until resume", async () => {
    const [leader, follower] = [stack.service.orgs[0], second.orgs[0]];
    const id = uiCreate(stack, 'Contact', { LastName: 'Paused', Title: 'Before', Phone: '+1 415 555 0302' });
    const contact = await eventually(() => linkedContact(stack, id), 'the change applied by the leader');
    await leader.pause();
    // A round the follower began before the pause is allowed to end; every later one reads the pause.
    await follower.writeBack.idle();
    const settingsOf = (orgId: string) => (orgId === 'primary' ? follower.settings : undefined);
    const edit = await editContactFromTelephony(secondDb, settingsOf, contact.id, { title: 'During the pause' });
    expect(edit?.queuedWriteBacks).toBe(1);

    expect(await follower.writeBack.drainOnce()).toMatchObject({ claimed: 0, written: 0 });
    await expect(follower.runReconcileNow()).rejects.toThrow(/the sync is paused/);
    expect(stack.emulator.org.store.get('Contact', id)?.Title).toBe('Before');

    await leader.resume();
    await eventually(
      () => stack.emulator.org.store.get('Contact', id)?.Title === 'During the pause',
      'the held write-back sent after resume',
    );
  });

  it('a mass deletion held on the follower pauses the leader too, which reports why to the org', async () => {
    const [leader, follower] = [stack.service.orgs[0], second.orgs[0]];
    await updateSyncRecord(stack, { Propagate_Deletes_To_Salesforce__c: true });
    // The leader reloaded ("configuration changed" reaches it alone); the follower follows by itself.
    await eventually(
      () => follower.settings.policy.propagateDeletes.toSalesforce || undefined,
      'the follower to reload the settings',
    );
    const recordIds = await linkedQuietContacts(stack, {
      count: 8,
      firstName: 'Follower',
      lastName: 'Deleted',
      firstPhone: 4000,
    });
    // Only the follower's worker drains the outbox, so the guard trips there.
    await leader.writeBack.stop();
    for (const recordId of recordIds) {
      const contact = await linkedContact(stack, recordId);
      const res = await fetch(`${second.url}/api/v1/contacts/${contact!.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${second.apiToken}` },
      });
      expect(res.status).toBe(200);
    }
    await eventually(() => follower.status().paused || undefined, 'the follower to hold the deletes and pause');
    await eventually(() => leader.status().paused || undefined, 'the leader to follow the pause');
    expect(leader.status().held?.deletes).toBe(recordIds.length);
    const sync = () =>
      stack.emulator.org.store.get('Switchboard_Sync__c', stack.emulator.org.store.idFor('Switchboard_Sync__c', 0));
    await eventually(() => (sync()?.Status__c === 'Paused' ? true : undefined), 'Paused in the org');
    expect(String(sync()?.Last_Error__c)).toContain('mass deletion held: contacts deleted in the directory');
    expect(recordIds.every((id) => stack.emulator.org.store.get('Contact', id) !== undefined)).toBe(true);

    await leader.resume();
    await eventually(() => (follower.status().paused ? undefined : true), 'the follower to follow the resume');
    await eventually(
      () => recordIds.every((id) => stack.emulator.org.store.get('Contact', id) === undefined) || undefined,
      'the approved deletes sent',
    );
    await updateSyncRecord(stack, { Propagate_Deletes_To_Salesforce__c: false });
  });

  it("hands over when the leader's database session dies: exactly one instance leads again", async () => {
    const { rows } = await stack.db.query<{ pid: number }>(
      // The election's two-key lock: classid is Switchboard's namespace ("SWB1"), objsubid 2 marks two int4 keys.
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 1398227505 AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    expect(rows).toHaveLength(1);
    await stack.db.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await eventually(
      () => stack.service.orgs[0].status().role === 'follower' || second.orgs[0].status().role === 'follower',
      'the old session to be noticed',
    );
    const [leader] = await eventually(
      () => (leaders().length === 1 && leaders()[0].orgs[0].subscriber.live ? leaders() : undefined),
      'one new leader',
    );
    const other = instances().find((s) => s !== leader) as RunningService;
    expect(other.orgs[0].status().role).toBe('follower');
    expect(other.orgs[0].subscriber.live).toBe(false);
    const id = uiCreate(stack, 'Contact', { LastName: 'After Failover', Phone: '+1 415 555 0302' });
    await eventually(() => linkedContact(stack, id), 'the change applied after the failover');
  });

  it('hands over when the leader stops, from the stored replay position', async () => {
    const [leader] = leaders();
    const other = instances().find((s) => s !== leader) as RunningService;
    await leader.close();
    const id = uiCreate(stack, 'Contact', { LastName: 'While Handing Over', Phone: '+1 415 555 0303' });
    await eventually(
      () => other.orgs[0].status().role === 'leader' && other.orgs[0].subscriber.live,
      'the follower to take over',
    );
    await eventually(() => linkedContact(stack, id), 'the change made during the handover');
  });
});
