/**
 * The LDAP mirror inside the running service, with the org emulator: an edit made through the REST API and
 * one made in Salesforce reach slapd (read with ldapsearch), a delete removes the entry, and the REST resync
 * restores every entry after slapd was wiped. Without LDAP_URL the resync answers 409 naming the variable.
 */
import { eventually, linkedContactId, startStack, uiCreate, uiUpdate, type Stack } from '../support/harness';
import { slapdUnavailable, startSlapd, type Slapd } from '../support/slapd';
import { BASE_DN, entriesByUid } from './support';

const missing = slapdUnavailable();
if (missing) console.log(`LDAP mirror service tests skipped: ${missing}`);
const describeWithSlapd = missing ? describe.skip : describe;

describeWithSlapd('LDAP mirror in the service', () => {
  let slapd: Slapd;
  let stack: Stack;
  const entry = async (id: string) => (await entriesByUid(slapd)).get(id);

  beforeAll(async () => {
    slapd = await startSlapd();
    stack = await startStack({ service: { ldapMirror: { pollMs: 50, backoff: { initialMs: 50, maxMs: 400 } } } });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await slapd?.destroy();
  });

  it('is off without LDAP_URL: the resync and status answer 409 naming it', async () => {
    const resync = await stack.api('POST', '/ldap/resync');
    expect(resync.status).toBe(409);
    expect(resync.body.error).toMatchObject({ code: 'ldap_not_configured', field: 'LDAP_URL' });
    expect((await stack.api('GET', '/ldap/status')).status).toBe(409);
  });

  it('mirrors API and Salesforce edits and deletes; a REST resync restores a wiped slapd', async () => {
    stack.config.ldap = { url: slapd.url, bindDn: slapd.rootDn, bindPassword: slapd.rootPassword, baseDn: BASE_DN };
    await stack.restart();

    const created = await stack.api('POST', '/contacts', {
      firstName: 'Grete',
      lastName: 'Öztürk',
      phones: [{ kind: 'work', number: '+49 30 5550100' }],
    });
    expect(created.status).toBe(201);
    const id: string = created.body.contact.id;
    await eventually(async () => (await entry(id))?.cn?.[0] === 'Grete Öztürk', 'the new contact in LDAP');

    expect((await stack.api('PATCH', `/contacts/${id}`, { title: 'Leiterin' })).status).toBe(200);
    await eventually(async () => (await entry(id))?.title?.[0] === 'Leiterin', 'the API edit in LDAP', 10_000);

    // An edit in Salesforce: the change event reaches the directory, the mirror takes it to LDAP.
    const recordId = uiCreate(stack, 'Contact', { FirstName: 'Hans', LastName: 'Weiß', Phone: '+49 40 5550199' });
    const linkedId = await linkedContactId(stack, recordId);
    await eventually(async () => (await entry(linkedId))?.sn?.[0] === 'Weiß', 'the Salesforce contact in LDAP');
    uiUpdate(stack, 'Contact', recordId, { Title: 'Prokurist', MobilePhone: '+49 171 5550123' });
    await eventually(
      async () => {
        const e = await entry(linkedId);
        return e?.title?.[0] === 'Prokurist' && e.mobile?.[0] === '+491715550123';
      },
      'the Salesforce edit in LDAP',
      10_000,
    );

    expect((await stack.api('DELETE', `/contacts/${id}`)).status).toBeLessThan(300);
    await eventually(async () => (await entry(id)) === undefined, 'the deleted contact gone from LDAP', 10_000);

    const status = await stack.api('GET', '/ldap/status');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ enabled: true, running: true, healthy: true, lastError: null });

    // Wiped: stopped, its data deleted, started empty. The REST resync restores every entry.
    const before = await entriesByUid(slapd);
    await slapd.stop();
    slapd.wipe();
    await slapd.start();
    const resync = await stack.api('POST', '/ldap/resync');
    expect(resync.status).toBe(202);
    await eventually(async () => {
      const s = await stack.api('GET', '/ldap/status');
      return s.body.resync.state === 'idle' && s.body.resync.finishedAt !== null && s.body.healthy;
    }, 'the resync finished');
    const after = await entriesByUid(slapd);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect(after.get(linkedId)).toMatchObject({ cn: ['Hans Weiß'], title: ['Prokurist'] });
  });
});
