import { runtimeOf, startStack, type Stack } from '../support/harness';

/**
 * The org answers the service's first reads with a transient error (found by `npm run chaos` with 10 %
 * injected faults, seed 17: the read of the sync settings at start met UNABLE_TO_LOCK_ROW, the service
 * kept its built-in defaults — no sync — and never ran the initial sync). A transient error while reading
 * the settings is tried again, with backoff, before the read counts as failed.
 */
describe('reading the sync settings across transient API errors', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      beforeService: (emulator) => {
        Object.assign(emulator.org.faults, { errorKinds: ['UNABLE_TO_LOCK_ROW'], failNextRequests: 1 });
      },
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('loads the org’s sync at start although its first reads failed', async () => {
    const org = runtimeOf(stack);
    expect(stack.emulator.org.faults.failNextRequests).toBe(0);
    expect(org.settings.syncId).toBe(stack.emulator.org.store.idFor('Switchboard_Sync__c', 0));
    expect(org.status().settingsError).toBeNull();
  });
});
