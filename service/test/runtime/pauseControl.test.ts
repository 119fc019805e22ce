/**
 * Every instance follows the pause shared through the database, read every few seconds. A read that
 * races this instance's own pause or resume — taken before it, or before its write committed — must not
 * undo it: found by the chaos trials, where a stale "paused" read right after a resume paused the sync
 * again for good.
 */
import pino from 'pino';
import { PauseControl, type PausableWork } from '../../src/runtime/pauseControl';
import { orgPause } from '../../src/store/state/orgs';
import { describeEachBackend, resetDatabase } from '../support/backends';
import { CONTACT_SYNC, ORG_ID, seedOrg } from '../support/fixtures';

function countingWork(): PausableWork & { starts: number; stops: number } {
  const work = {
    starts: 0,
    stops: 0,
    reconciler: { start: () => undefined, suspend: () => undefined },
    subscriber: { start: () => undefined, stop: async () => undefined },
    writeBack: {
      start: () => {
        work.starts++;
      },
      stop: async () => {
        work.stops++;
      },
    },
    leadership: { role: 'leader' as const },
    reporter: { flush: async () => undefined },
  };
  return work as unknown as PausableWork & { starts: number; stops: number };
}

describeEachBackend('pause control: following the shared pause', (getDb) => {
  let work: ReturnType<typeof countingWork>;
  let control: PauseControl;

  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
    work = countingWork();
    control = new PauseControl({
      db: getDb(),
      orgId: ORG_ID,
      settings: { ...CONTACT_SYNC, orgId: ORG_ID },
      logger: pino({ level: 'silent' }),
      work,
    });
  });

  it('says it is paused only once it has read the held deletes that say why', async () => {
    // Another instance paused: this one follows, its look at the held deletes held up on purpose.
    await control.pause();
    const shared = await orgPause(getDb(), ORG_ID);
    await control.resume();
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const slow = new Proxy(getDb(), {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown;
        if (prop === 'query')
          return async (...args: unknown[]) => (
            await gate,
            (value as (...a: unknown[]) => unknown).apply(target, args)
          );
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const follower = new PauseControl({
      db: slow,
      orgId: ORG_ID,
      settings: { ...CONTACT_SYNC, orgId: ORG_ID },
      logger: pino({ level: 'silent' }),
      work,
    });
    const following = follower.follow(shared);
    await new Promise((resolve) => setImmediate(resolve));
    expect(follower.paused).toBe(false);
    open();
    await following;
    expect(follower.paused).toBe(true);
  });

  it('a read taken before this instance resumed does not pause it again', async () => {
    await control.pause();
    const readAt = control.generation;
    const stale = await orgPause(getDb(), ORG_ID);
    expect(stale).not.toBeNull();
    await control.resume();
    await control.follow(stale, readAt);
    expect(control.paused).toBe(false);
    expect([work.stops, work.starts]).toEqual([1, 1]);
  });

  it('a read taken while this instance was pausing, before its write committed, does not resume it', async () => {
    const pausing = control.pause();
    const readAt = control.generation;
    await control.follow(null, readAt);
    await pausing;
    await control.follow(null, readAt);
    expect(control.paused).toBe(true);
    expect(work.starts).toBe(0);
  });

  it('a read taken after follows another instance’s pause and resume', async () => {
    await getDb().query(`UPDATE org_connections SET paused_at = now() WHERE id = $1`, [ORG_ID]);
    let readAt = control.generation;
    await control.follow(await orgPause(getDb(), ORG_ID), readAt);
    expect(control.paused).toBe(true);
    await getDb().query(`UPDATE org_connections SET paused_at = NULL WHERE id = $1`, [ORG_ID]);
    readAt = control.generation;
    await control.follow(await orgPause(getDb(), ORG_ID), readAt);
    expect(control.paused).toBe(false);
    expect([work.stops, work.starts]).toEqual([1, 1]);
  });
});
