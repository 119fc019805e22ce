/**
 * The LDAP mirror against a real slapd (read back with ldapsearch): adds, modifies, deletes as the directory
 * changes; resumes from its stored cursor without writing anything twice; lives through slapd being down and
 * wiped; a resync resumes where it stopped and removes entries the directory no longer has.
 */
import pino from 'pino';
import { deleteContact, insertContact, updateContact } from '../../src/directory/contacts';
import { toLdapEntry } from '../../src/ldapMirror/entry';
import { LdapMirror } from '../../src/ldapMirror/mirror';
import {
  beginLdapResync,
  getLdapMirrorState,
  requestLdapResync,
  saveLdapChangeCursor,
  saveLdapResyncProgress,
} from '../../src/store/devices/ldapMirror';
import { encodeCursor, START_CURSOR } from '../../src/directory/changes';
import type { Database } from '../../src/store/types';
import { describeEachBackend, resetDatabase } from '../support/backends';
import { eventually } from '../support/harness';
import { slapdUnavailable, startSlapd, type Slapd } from '../support/slapd';
import { BASE_DN, PEOPLE, entriesByUid, phone, recordingLogger } from './support';

const missing = slapdUnavailable();
if (missing) console.log(`LDAP mirror tests skipped: ${missing}`);
const describeWithSlapd = missing ? describe.skip : describe;

const FAST = { pollMs: 50, backoff: { initialMs: 50, maxMs: 400 }, batchSize: 3 };

describeWithSlapd('LDAP mirror', () => {
  describeEachBackend('mirror', (getDb, backend) => {
    let slapd: Slapd;
    let mirror: LdapMirror | undefined;

    const settings = () => ({
      url: slapd.url,
      bindDn: slapd.rootDn,
      bindPassword: slapd.rootPassword,
      baseDn: BASE_DN,
    });
    const startMirror = async (db: Database, logger = pino({ level: 'silent' })) => {
      mirror = new LdapMirror({ db, logger, settings: settings(), ...FAST });
      await mirror.start();
      return mirror;
    };
    /** The entries equal what the directory holds now, attribute by attribute. */
    const mirrored = async (db: Database) => {
      const { rows } = await db.query<{ id: string }>('SELECT id::text FROM directory_contacts ORDER BY id');
      const entries = await entriesByUid(slapd);
      if (entries.size !== rows.length) return false;
      const { getContacts } = await import('../../src/directory/contacts');
      for (const contact of await getContacts(
        db,
        rows.map((r) => r.id),
      )) {
        const have = entries.get(contact.id);
        if (!have) return false;
        for (const [name, values] of Object.entries(toLdapEntry(contact, BASE_DN).attributes)) {
          if (JSON.stringify([...(have[name] ?? [])].sort()) !== JSON.stringify([...values].sort())) return false;
        }
      }
      return entries;
    };

    beforeAll(async () => {
      slapd = await startSlapd();
    });
    afterAll(async () => {
      await slapd?.destroy();
    });
    beforeEach(async () => {
      await resetDatabase(getDb());
      await getDb().query('DELETE FROM ldap_mirror_state');
      if (!slapd.running) await slapd.start();
      await slapd.stop();
      slapd.wipe();
      await slapd.start();
    });
    afterEach(async () => {
      await mirror?.stop();
      mirror = undefined;
    });

    it('creates the base entry and mirrors every contact, then each insert, edit and delete', async () => {
      const db = getDb();
      const ids: string[] = [];
      for (const fields of PEOPLE) ids.push((await insertContact(db, fields, 'telephony')).id);
      await startMirror(db);
      await eventually(() => mirrored(db), 'every contact in LDAP');

      await updateContact(db, ids[0], { title: 'Obermeister', phones: [phone('mobile', '0171 999', '+49171999')] });
      await eventually(async () => {
        const e = (await entriesByUid(slapd)).get(ids[0]);
        return e?.title?.[0] === 'Obermeister' && e.mobile?.[0] === '+49171999' && e.telephoneNumber === undefined;
      }, 'the edit in LDAP');

      await deleteContact(db, ids[1]);
      const added = await insertContact(db, { firstName: 'Ölaf', lastName: 'Ähm' }, 'telephony');
      const entries = await eventually(() => mirrored(db), 'the delete and the insert in LDAP');
      expect(entries.has(ids[1])).toBe(false);
      expect(entries.get(added.id)?.cn).toEqual(['Ölaf Ähm']);
    });

    it('resumes from its stored cursor; reading everything again writes nothing (exactly once in effect)', async () => {
      const db = getDb();
      for (const fields of PEOPLE) await insertContact(db, fields, 'telephony');
      await startMirror(db);
      const before = await eventually(() => mirrored(db), 'every contact in LDAP');
      await mirror?.stop();
      // A crash before the cursor was stored: the whole feed comes again.
      await saveLdapChangeCursor(db, encodeCursor(START_CURSOR));
      await startMirror(db);
      await eventually(
        async () => (await getLdapMirrorState(db, '')).changeCursor !== encodeCursor(START_CURSOR),
        'the feed read again',
      );
      const after = await eventually(() => mirrored(db), 'LDAP still equal to the directory');
      for (const [uid, attributes] of before)
        expect(after.get(uid)?.modifyTimestamp).toEqual(attributes.modifyTimestamp);
    });

    it('lives through slapd being down: logs once, catches up when it is back', async () => {
      const db = getDb();
      const { logger, lines } = recordingLogger();
      await insertContact(db, PEOPLE[0], 'telephony');
      await startMirror(db, logger);
      await eventually(() => mirrored(db), 'the first contact in LDAP');
      await slapd.stop();
      const during = await insertContact(db, PEOPLE[2], 'telephony');
      await eventually(() => lines.some((l) => String(l.msg).includes('cannot write to LDAP')), 'the outage logged');
      // Several retries fail meanwhile; each is logged at debug only.
      await eventually(() => lines.filter((l) => String(l.msg).includes('still failing')).length >= 2, 'retries');
      await slapd.start();
      const entries = await eventually(() => mirrored(db), 'the change made during the outage in LDAP');
      expect(entries.has(during.id)).toBe(true);
      expect(lines.filter((l) => String(l.msg).includes('cannot write to LDAP'))).toHaveLength(1);
      expect(lines.filter((l) => l.level === 40 || l.level === 50)).toHaveLength(1);
      expect(JSON.stringify(lines)).not.toContain(slapd.rootPassword);
    });

    it('restores every entry by itself after slapd was wiped, and on request', async () => {
      const db = getDb();
      for (const fields of PEOPLE) await insertContact(db, fields, 'telephony');
      await startMirror(db);
      await eventually(() => mirrored(db), 'every contact in LDAP');
      await slapd.stop();
      slapd.wipe();
      await slapd.start();
      await eventually(() => mirrored(db), 'every entry restored after the wipe');
      expect((await getLdapMirrorState(db, '')).resync.reason).toMatch(/no base entry/);

      await slapd.ldapsearch(['-b', BASE_DN, '-s', 'one', '(uid=*)', 'uid']); // still readable
      await mirror?.requestResync('test');
      await eventually(async () => (await getLdapMirrorState(db, '')).resync.state === 'idle', 'the resync done');
      expect((await getLdapMirrorState(db, '')).resync).toMatchObject({ written: 0, removed: 0 });
    });

    it('skips an entry slapd refuses, with a warning naming the contact by id only, and writes the others', async () => {
      const db = getDb();
      const refusedContact = await insertContact(db, PEOPLE[0], 'telephony');
      const fine = await insertContact(db, PEOPLE[2], 'telephony');
      // An entry of another class under the same DN: replacing cn or sn on it violates its object class.
      const { execFileSync } = await import('node:child_process');
      execFileSync('ldapadd', ['-x', '-H', slapd.url, '-D', slapd.rootDn, '-w', slapd.rootPassword], {
        input: [
          `dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: example\n`,
          `dn: ${BASE_DN}\nobjectClass: organizationalUnit\nou: phonebook\n`,
          `dn: uid=${refusedContact.id},${BASE_DN}\nobjectClass: account\nuid: ${refusedContact.id}\n`,
        ].join('\n'),
      });
      const { logger, lines } = recordingLogger();
      await startMirror(db, logger);
      await eventually(async () => (await entriesByUid(slapd)).get(fine.id)?.sn?.[0] === 'Adams', 'the other contact');
      const warning = await eventually(
        () => lines.find((l) => String(l.msg).includes('refused')),
        'the refused entry logged',
      );
      expect(warning).toMatchObject({ contactId: refusedContact.id });
      expect(JSON.stringify(lines)).not.toMatch(/Müller|Jürgen|\+49/);
      expect((await getLdapMirrorState(db, '')).changeCursor).not.toBe(encodeCursor(START_CURSOR));
    });

    it('a resync resumes from its stored page and removes entries the directory no longer has', async () => {
      const db = getDb();
      const ids: string[] = [];
      for (const fields of PEOPLE) ids.push((await insertContact(db, fields, 'telephony')).id);
      await startMirror(db);
      await eventually(() => mirrored(db), 'every contact in LDAP');
      await mirror?.stop();
      // Entries the mirror never heard about: one whose contact is gone, one edited behind its back.
      const sorted = [...ids].sort();
      const stray = '00000000-0000-4000-8000-000000000001';
      const { execFileSync } = await import('node:child_process');
      execFileSync('ldapadd', ['-x', '-H', slapd.url, '-D', slapd.rootDn, '-w', slapd.rootPassword], {
        input: `dn: uid=${stray},${BASE_DN}\nobjectClass: inetOrgPerson\nuid: ${stray}\ncn: Gone\nsn: Gone\n`,
      });
      for (const uid of [sorted[0], sorted[4]]) {
        execFileSync('ldapmodify', ['-x', '-H', slapd.url, '-D', slapd.rootDn, '-w', slapd.rootPassword], {
          input: `dn: uid=${uid},${BASE_DN}\nchangetype: modify\nreplace: title\ntitle: Tampered\n`,
        });
      }
      // A resync that stopped (a crash) after the page ending at sorted[1].
      await requestLdapResync(db, 'test');
      await beginLdapResync(db);
      await saveLdapResyncProgress(db, { phase: 'entries', after: sorted[1], written: 2, removed: 0 });
      await startMirror(db);
      await eventually(async () => (await getLdapMirrorState(db, '')).resync.state === 'idle', 'the resync done');
      const entries = await entriesByUid(slapd);
      expect(entries.has(stray)).toBe(false);
      expect(entries.get(sorted[4])?.title).not.toEqual(['Tampered']);
      expect((await getLdapMirrorState(db, '')).resync.removed).toBe(1);
      // Pages after the stored place were written again; the one before it was not (the resync resumed). On a
      // shared PostgreSQL server, other sessions' transactions can hold the feed's horizon back, so the feed may
      // legitimately hand these contacts over again and repair sorted[0] too: the proof runs on PGlite, where
      // nothing else holds it.
      if (backend.kind === 'pglite') {
        expect(entries.get(sorted[0])?.title).toEqual(['Tampered']);
        expect((await getLdapMirrorState(db, '')).resync.written).toBe(3);
      }
    });
  });
});
