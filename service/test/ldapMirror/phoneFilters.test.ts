/**
 * The phones' stock LDAP searches, sent by ldapsearch (a real client) to a slapd the mirror filled: each finds
 * the expected contacts. Phones search anonymously; `%` in a phone's filter is what the user typed (name
 * searches add `*`), or the caller's number for an incoming-call lookup.
 */
import pino from 'pino';
import { insertContact } from '../../src/directory/contacts';
import { LdapMirror } from '../../src/ldapMirror/mirror';
import { describeEachBackend } from '../support/backends';
import { eventually } from '../support/harness';
import { parseLdif, slapdUnavailable, startSlapd, type Slapd } from '../support/slapd';
import { BASE_DN, PEOPLE, entriesByUid } from './support';

const missing = slapdUnavailable();
if (missing) console.log(`LDAP phone filter tests skipped: ${missing}`);
const describeWithSlapd = missing ? describe.skip : describe;

const yealinkName = (typed: string) => `(|(cn=${typed})(sn=${typed}))`;
const yealinkNumber = (typed: string) => `(|(telephoneNumber=${typed})(mobile=${typed})(homePhone=${typed}))`;

describeWithSlapd('phone LDAP filters against the mirror', () => {
  describeEachBackend('filters', (getDb) => {
    let slapd: Slapd;
    let mirror: LdapMirror;
    const idOf = new Map<string, string>();
    /** Last names of the entries a phone's search returns, in the order slapd sent them. */
    const search = async (args: string[]) =>
      parseLdif(await slapd.ldapsearch(['-b', BASE_DN, ...args, 'sn'], { anonymous: true })).map(
        (e) => e.attributes.sn[0],
      );
    const found = async (filter: string) => (await search([filter])).sort();

    beforeAll(async () => {
      slapd = await startSlapd();
      for (const fields of PEOPLE)
        idOf.set(fields.lastName as string, (await insertContact(getDb(), fields, 'telephony')).id);
      mirror = new LdapMirror({
        db: getDb(),
        logger: pino({ level: 'silent' }),
        settings: { url: slapd.url, bindDn: slapd.rootDn, bindPassword: slapd.rootPassword, baseDn: BASE_DN },
        pollMs: 50,
      });
      await mirror.start();
      await eventually(async () => (await entriesByUid(slapd)).size === PEOPLE.length, 'every contact in LDAP');
    });
    afterAll(async () => {
      await mirror?.stop();
      await slapd?.destroy();
    });

    it('Yealink name filter (|(cn=%)(sn=%)): prefixes with umlauts, any case', async () => {
      expect(await found(yealinkName('Mül*'))).toEqual(['Mülheim', 'Müller']);
      expect(await found(yealinkName('mül*'))).toEqual(['Mülheim', 'Müller']);
      expect(await found(yealinkName('Jürgen*'))).toEqual(['Müller']);
      expect(await found(yealinkName('Zoë Z*'))).toEqual(['Zimmermann']);
      expect(await found(yealinkName('Nobody*'))).toEqual([]);
    });

    it('umlauts round-trip: what the directory holds is what a phone reads', async () => {
      const [entry] = parseLdif(
        await slapd.ldapsearch(['-b', BASE_DN, yealinkName('Müller'), 'cn', 'givenName', 'o'], { anonymous: true }),
      );
      expect(entry.attributes).toEqual({ cn: ['Jürgen Müller'], givenName: ['Jürgen'], o: ['Bäckerei Groß'] });
    });

    it('Yealink number filter: numbers typed with spaces and dashes find work, mobile, home and other numbers', async () => {
      expect(await found(yealinkNumber('+49 30 1234-567'))).toEqual(['Müller']);
      expect(await found(yealinkNumber('+49-171-234 5678'))).toEqual(['Müller']);
      expect(await found(yealinkNumber('+49 89 765 43 21'))).toEqual(['Mülheim']);
      expect(await found(yealinkNumber('+49 40 555 00100'))).toEqual(['Zimmermann']);
      expect(await found(yealinkNumber('+1 415-555-2671'))).toEqual(['Adams']);
      expect(await found(yealinkNumber('+49 171*'))).toEqual(['Müller']);
      expect(await found(yealinkNumber('+49 30 0000000'))).toEqual([]);
    });

    it("Snom's filters (name (|(cn=%)(sn=%)) with the typed prefix, number (|(telephoneNumber=%)(mobile=%)))", async () => {
      expect(await found('(|(cn=Ry*)(sn=Ry*))')).toEqual(['Adams']);
      expect(await found('(|(cn=Br*)(sn=Br*))')).toEqual(['Brown']);
      expect(await found('(|(telephoneNumber=+447700900123)(mobile=+447700900123))')).toEqual(['Brown']);
    });

    it('Poly ordering filter (givenName>=Ryan) and server-side sort with VLV', async () => {
      expect(await found('(givenName>=Ryan)')).toEqual(['Adams', 'Zimmermann']);
      const bySn = await slapd.ldapsearchFirstWindow([
        '-b',
        BASE_DN,
        '-E',
        'sss=sn',
        '-E',
        'vlv=0/9/1/0',
        '(objectClass=inetOrgPerson)',
        'sn',
      ]);
      expect(bySn).toMatch(/# sortResult: \(0\) Success/);
      expect(bySn).toMatch(/# vlvResultpos=1 count=5 context=\S* \(0\) Success/);
      expect(parseLdif(bySn).map((e) => e.attributes.sn[0])).toEqual([
        'Adams',
        'Brown',
        'Mülheim',
        'Müller',
        'Zimmermann',
      ]);
      // A window of 2 positioned at the first name at or after "M" (Poly jumps to a letter this way).
      const atM = await slapd.ldapsearchFirstWindow([
        '-b',
        BASE_DN,
        '-E',
        'sss=sn',
        '-E',
        'vlv=0/1:M',
        '(objectClass=inetOrgPerson)',
        'sn',
      ]);
      expect(parseLdif(atM).map((e) => e.attributes.sn[0])).toEqual(['Mülheim', 'Müller']);
      // cn is built into slapd without an ordering rule: the sort key names one.
      const byCn = await slapd.ldapsearchFirstWindow([
        '-b',
        BASE_DN,
        '-E',
        'sss=cn:caseIgnoreOrderingMatch',
        '-E',
        'vlv=0/9/1/0',
        '(objectClass=inetOrgPerson)',
        'cn',
      ]);
      expect(parseLdif(byCn).map((e) => e.attributes.cn[0])).toEqual([
        'Anna Mülheim',
        'Bob Brown',
        'Jürgen Müller',
        'Ryan Adams',
        'Zoë Zimmermann',
      ]);
    });

    it('Gigaset: a search with no size limit, then a base-scope (objectclass=*) read of each DN', async () => {
      const listed = parseLdif(
        await slapd.ldapsearch(['-z', '0', '-b', BASE_DN, '(|(cn=*)(sn=*))', 'cn', 'sn'], { anonymous: true }),
      );
      expect(listed).toHaveLength(PEOPLE.length);
      for (const { dn } of listed) {
        const [entry, ...more] = parseLdif(
          await slapd.ldapsearch(['-b', dn, '-s', 'base', '(objectclass=*)'], { anonymous: true }),
        );
        expect(more).toEqual([]);
        expect(entry.dn).toBe(dn);
        expect(entry.attributes.uid).toEqual([idOf.get(entry.attributes.sn[0])]);
      }
      const muller = parseLdif(
        await slapd.ldapsearch(['-b', `uid=${idOf.get('Müller')},${BASE_DN}`, '-s', 'base', '(objectclass=*)'], {
          anonymous: true,
        }),
      )[0];
      expect(muller.attributes).toMatchObject({
        cn: ['Jürgen Müller'],
        telephoneNumber: ['+49301234567'],
        mobile: ['+491712345678'],
        mail: ['juergen@baeckerei.example'],
        title: ['Meister'],
      });
    });
  });
});
