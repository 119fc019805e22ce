import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useApiHarness } from '../support/api-harness';
import { freeUdpPort, missingSipTools, placeCall, startKamailio, type RunningKamailio } from '../support/sipCall';
import { createAccessKey } from '../../src/deviceAccess/accessKeys';

/**
 * Caller ID with real clients: SIPp calls through Kamailio, whose http_client asks Switchboard for the name
 * and puts it into the From display name (uac_replace_from); SIPp answers as the callee and the test reads
 * the From header it received. Skips, saying why, where Kamailio or SIPp are not installed.
 */
const missing = missingSipTools();
if (missing) console.warn(`SKIPPING the Kamailio caller-ID tests: ${missing} missing.`);
const describeWithSip = missing ? describe.skip : describe;
const title = missing
  ? `caller ID through Kamailio and SIPp — SKIPPED: ${missing} missing`
  : 'caller ID through Kamailio and SIPp';

describeWithSip(title, () => {
  const api = useApiHarness();
  let dir = '';
  let key = '';
  const proxies: RunningKamailio[] = [];
  const servers: net.Server[] = [];
  const sockets: net.Socket[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-sip-'));
  });
  beforeEach(async () => {
    key = (await createAccessKey(api.db, { name: 'kamailio', scopes: ['callerid'] })).key;
    await api.seed({
      firstName: 'Anna',
      lastName: 'Müller',
      phones: [{ kind: 'work', raw: '030 123456', e164: '+4930123456', extension: null }],
    });
  });
  afterEach(async () => {
    await Promise.all(proxies.splice(0).map((p) => p.stop()));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    rmSync(dir, { recursive: true, force: true });
  });

  async function proxyTo(lookupUrl: string, calleePort: number): Promise<RunningKamailio> {
    const proxy = await startKamailio({ dir, lookupUrl, key, calleePort, timeoutSeconds: 1 });
    proxies.push(proxy);
    return proxy;
  }

  const call = async (proxy: RunningKamailio, calleePort: number, caller: string) =>
    placeCall({ dir, proxyPort: proxy.port, calleePort, caller });

  it("a caller in the directory reaches the callee with the contact's name as display name", async () => {
    const calleePort = await freeUdpPort();
    const proxy = await proxyTo(`${api.plainUrl}/callerid/`, calleePort);
    const answered = await call(proxy, calleePort, '+4930123456');
    expect(answered.displayName).toBe('Anna Müller');
    expect(answered.fromHeader).toMatch(/^"Anna Müller" <sip:\+4930123456@127\.0\.0\.1:\d+>;tag=/);
    expect(proxy.log()).toContain('switchboard caller-ID lookup: 200');
  });

  it('an unknown caller passes through unchanged', async () => {
    const calleePort = await freeUdpPort();
    const proxy = await proxyTo(`${api.plainUrl}/callerid/`, calleePort);
    const answered = await call(proxy, calleePort, '+4930999999');
    expect(answered.displayName).toBe('+4930999999');
    expect(answered.fromHeader).toMatch(/^"\+4930999999" <sip:\+4930999999@/);
  });

  it('a stopped service does not stop the call: it goes through with the name it came with', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const calleePort = await freeUdpPort();
    const proxy = await proxyTo(`http://127.0.0.1:${port}/callerid/`, calleePort);
    const answered = await call(proxy, calleePort, '+4930123456');
    expect(answered.displayName).toBe('+4930123456');
    // curl's "couldn't connect" (7): the lookup failed at once.
    expect(proxy.log()).toContain('switchboard caller-ID lookup: 7');
  });

  it('a service that never answers holds the call no longer than the lookup timeout', async () => {
    // Accepts the connection and never says a word.
    const silent = net.createServer((socket) => {
      socket.on('error', () => undefined);
      sockets.push(socket);
    });
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const calleePort = await freeUdpPort();
    const proxy = await proxyTo(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/callerid/`, calleePort);
    const answered = await call(proxy, calleePort, '+4930123456');
    expect(answered.displayName).toBe('+4930123456');
    // curl's "operation timed out" (28): http_client gave up after its 1 s, and the call went on.
    expect(proxy.log()).toContain('switchboard caller-ID lookup: 28');
    // The silent server would hold a lookup without a timeout for ever; a generous bound for a loaded machine.
    expect(answered.elapsedMs).toBeLessThan(10_000);
  });
});
