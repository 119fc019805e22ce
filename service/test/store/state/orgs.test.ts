import { clearReplayId, getReplayId, saveReplayId } from '../../../src/store/state/checkpoints';
import { getOrg, listOrgs, updateOrgSettings, upsertOrg } from '../../../src/store/state/orgs';
import { markEventProcessed, pruneProcessedEvents } from '../../../src/store/state/processedEvents';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import { ORG_ID, seedOrg } from '../../support/fixtures';

describeEachBackend('org connections, replay checkpoints and processed events', (getDb) => {
  beforeEach(() => resetDatabase(getDb()));

  describe('orgs', () => {
    it('inserts, then updates without losing what the update leaves out', async () => {
      const created = await upsertOrg(getDb(), {
        id: 'prod',
        name: 'Production',
        loginUrl: 'https://login.salesforce.com',
      });
      expect(created).toMatchObject({
        id: 'prod',
        name: 'Production',
        organizationId: null,
        instanceUrl: null,
        settings: {},
      });

      const learned = await upsertOrg(getDb(), {
        id: 'prod',
        name: 'Production',
        loginUrl: 'https://login.salesforce.com',
        organizationId: '00D000000000001EAA',
        instanceUrl: 'https://acme.my.salesforce.com',
      });
      expect(learned).toMatchObject({
        organizationId: '00D000000000001EAA',
        instanceUrl: 'https://acme.my.salesforce.com',
      });
      expect(learned.createdAt).toBe(created.createdAt);

      const renamed = await upsertOrg(getDb(), {
        id: 'prod',
        name: 'Prod org',
        loginUrl: 'https://acme.my.salesforce.com',
      });
      expect(renamed).toMatchObject({
        name: 'Prod org',
        organizationId: '00D000000000001EAA',
        instanceUrl: 'https://acme.my.salesforce.com',
      });
      expect(await getOrg(getDb(), 'prod')).toEqual(renamed);

      const cleared = await upsertOrg(getDb(), { id: 'prod', name: 'Prod org', loginUrl: 'x', instanceUrl: null });
      expect(cleared.instanceUrl).toBeNull();
    });

    it('lists orgs and returns null for an unknown one', async () => {
      await seedOrg(getDb(), 'a');
      await seedOrg(getDb(), 'b');
      expect((await listOrgs(getDb())).map((o) => o.id).sort()).toEqual(['a', 'b']);
      expect(await getOrg(getDb(), 'zzz')).toBeNull();
    });

    it('keeps one organization id per connection', async () => {
      await upsertOrg(getDb(), { id: 'a', name: 'A', loginUrl: 'x', organizationId: '00D1' });
      await expect(upsertOrg(getDb(), { id: 'b', name: 'B', loginUrl: 'x', organizationId: '00D1' })).rejects.toThrow(
        /duplicate key|unique/i,
      );
    });

    it('merges settings and removes keys set to null', async () => {
      await seedOrg(getDb());
      await updateOrgSettings(getDb(), ORG_ID, { paused: true, batch: { size: 100, note: null } });
      const updated = await updateOrgSettings(getDb(), ORG_ID, { paused: null, tz: 'UTC' });
      expect(updated?.settings).toEqual({ batch: { size: 100, note: null }, tz: 'UTC' });
      expect(await updateOrgSettings(getDb(), 'missing', { a: 1 })).toBeNull();
    });
  });

  describe('replay checkpoints', () => {
    it('stores, replaces and clears a binary replay id per org and topic', async () => {
      await seedOrg(getDb());
      const topic = '/event/Switchboard_Change__e';
      expect(await getReplayId(getDb(), ORG_ID, topic)).toBeNull();

      const first = Buffer.from([0, 0, 0, 0, 0, 0, 0x12, 0xff]);
      await saveReplayId(getDb(), ORG_ID, topic, first);
      expect(await getReplayId(getDb(), ORG_ID, topic)).toEqual(first);

      const second = Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      await saveReplayId(getDb(), ORG_ID, topic, second);
      expect(await getReplayId(getDb(), ORG_ID, topic)).toEqual(second);
      expect(await getReplayId(getDb(), ORG_ID, '/event/Other__e')).toBeNull();

      await clearReplayId(getDb(), ORG_ID, topic);
      expect(await getReplayId(getDb(), ORG_ID, topic)).toBeNull();
    });

    it('rolls back with the transaction it was saved in', async () => {
      await seedOrg(getDb());
      await expect(
        getDb().transaction(async (tx) => {
          await saveReplayId(tx, ORG_ID, 't', Buffer.from([1]));
          throw new Error('directory write failed');
        }),
      ).rejects.toThrow('directory write failed');
      expect(await getReplayId(getDb(), ORG_ID, 't')).toBeNull();
    });
  });

  describe('processed events', () => {
    it('is true the first time and false for a redelivery', async () => {
      await seedOrg(getDb());
      await seedOrg(getDb(), 'org-2');
      expect(await markEventProcessed(getDb(), ORG_ID, 'evt-1')).toBe(true);
      expect(await markEventProcessed(getDb(), ORG_ID, 'evt-1')).toBe(false);
      expect(await markEventProcessed(getDb(), 'org-2', 'evt-1')).toBe(true);
    });

    it('prunes markers older than the cut-off', async () => {
      await seedOrg(getDb());
      await markEventProcessed(getDb(), ORG_ID, 'old');
      await markEventProcessed(getDb(), ORG_ID, 'new');
      await getDb().query(
        "UPDATE processed_events SET processed_at = now() - interval '4 days' WHERE event_id = 'old'",
      );
      expect(await pruneProcessedEvents(getDb(), new Date(Date.now() - 72 * 3600 * 1000))).toBe(1);
      expect(await markEventProcessed(getDb(), ORG_ID, 'old')).toBe(true);
      expect(await markEventProcessed(getDb(), ORG_ID, 'new')).toBe(false);
    });
  });
});
