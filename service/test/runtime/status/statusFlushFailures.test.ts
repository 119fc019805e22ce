import pino from 'pino';
import { startStack, type Stack } from '../../support/harness';

/**
 * A status flush the org answers with a passing error (a 503, a lock) is a warning naming the code — the next
 * flush sends again — not an error with a stack trace: CI's chaos logs filled with "could not report the sync
 * status" stacks for injected 503s. A lasting failure is still an error.
 */
describe('status flush failures in the log', () => {
  let stack: Stack;
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const about = (text: string) => lines.filter((l) => String(l.msg).startsWith(text));

  beforeAll(async () => {
    stack = await startStack({ service: { logger } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('logs a passing org error as a warning with its code and no stack', async () => {
    const { org } = stack.emulator;
    lines.length = 0;
    Object.assign(org.faults, { errorKinds: ['503'], failNextRequests: 1 });
    await stack.service.orgs[0].reporter.flush();
    const [line] = about('could not report the sync status');
    expect(line).toMatchObject({ level: 40, code: 'SERVER_UNAVAILABLE' });
    expect(JSON.stringify(line)).not.toContain('stack');
    expect(JSON.stringify(line)).not.toContain('"err"');
  });

  it('still logs a lasting failure as an error', async () => {
    const { org } = stack.emulator;
    lines.length = 0;
    // The sync record is gone: the status write is refused for good.
    org.store.delete('Switchboard_Sync__c', [org.store.idFor('Switchboard_Sync__c', 0)], org.adminUser);
    await stack.service.orgs[0].reporter.flush();
    const [line] = about('could not report the sync status');
    expect(line).toMatchObject({ level: 50 });
  });
});
