import { QueryJob } from '../../emulator/bulk/query-job';
import { EmulatedOrg } from '../../emulator/org/org';
import { EMPTY_SEED } from '../../emulator/org/seed';
import type { SfRecord } from '../../emulator/org/store';
import { compileSoql, QueryResults } from '../../emulator/soql';
import { API_VERSION, startQueryHarness, type QueryHarness } from './rest-harness';

const SMALL = { contacts: 40, leads: 4, businessAccounts: 3, personAccounts: 0, users: 3 };

describe('emulator org store', () => {
  describe('scan from an index', () => {
    const org = new EmulatedOrg({ seed: SMALL, personAccounts: false });
    const { store } = org;
    const created = store.insert('Contact', [{ LastName: 'Late' }], org.adminUser)[0].id as string;
    const deleted = store.idFor('Contact', 12);
    store.delete('Contact', [deleted], org.adminUser);
    const ids = (records: Iterable<SfRecord>): string[] => [...records].map((r) => r.Id);

    it('starts at the given index and keeps skipping deleted records unless asked', () => {
      const all = ids(store.scan('Contact'));
      expect(all).toHaveLength(40);
      expect(store.scanIndexOf(created)).toBe(40);
      expect(ids(store.scan('Contact', false, 10))).toEqual(all.slice(10));
      expect(ids(store.scan('Contact', false, 12))[0]).toBe(store.idFor('Contact', 13));
      expect(ids(store.scan('Contact', true, 12))[0]).toBe(deleted);
      expect(ids(store.scan('Contact', false, store.scanIndexOf(created)))).toEqual([created]);
      expect(ids(store.scan('Contact', false, 41))).toEqual([]);
      expect(ids(store.scan('Contact', false, -5))).toEqual(all);
    });

    it('rejects ids of another org', () => {
      const other = new EmulatedOrg({ orgNumber: 2, seed: SMALL });
      expect(() => store.scanIndexOf(other.store.idFor('Contact', 1))).toThrow(/no record id of org 1/);
      expect(() => store.scanIndexOf('not-an-id')).toThrow(/not-an-id/);
    });
  });

  describe('resuming a paged query (Bulk locators)', () => {
    const org = new EmulatedOrg({ seed: { ...SMALL, contacts: 400 }, personAccounts: false });
    // A filter and a deleted record make row positions differ from store indexes.
    org.store.delete('Contact', [org.store.idFor('Contact', 3)], org.adminUser);
    const soql = "SELECT Id, LastName FROM Contact WHERE LastName != 'Lamarr'";
    const newJob = (): QueryJob =>
      new QueryJob(
        '750000000000001',
        org.integrationUser,
        compileSoql(soql, { personAccounts: false }),
        'query',
        API_VERSION,
        { columnDelimiter: 'COMMA', lineEnding: 'LF' },
        org.store,
      );
    const rowsOf = (chunks: string[]): string[] => chunks.join('').trim().split('\n').slice(1);
    const indexOfRow = (row: string): number => org.store.scanIndexOf(row.split(',')[0].replace(/"/g, ''));

    afterEach(() => jest.restoreAllMocks());

    it('re-reads a page served before from where it started, not from the first record', () => {
      const job = newJob();
      const first = job.page(0, 50, 1e9);
      const second = job.page(50, 50, 1e9);
      job.page(100, 50, 1e9);
      const secondStart = indexOfRow(rowsOf(second.chunks)[0]);
      expect(secondStart).toBeGreaterThan(50);

      const scan = jest.spyOn(org.store, 'scan');
      const again = job.page(50, 50, 1e9);
      expect(rowsOf(again.chunks)).toEqual(rowsOf(second.chunks));
      expect(again.nextPosition).toBe(100);
      expect(scan).toHaveBeenCalledTimes(1);
      expect(scan).toHaveBeenLastCalledWith('Contact', false, secondStart);

      // A position inside a served page resumes at that page's start and walks the rest.
      const inside = job.page(60, 10, 1e9);
      expect(rowsOf(inside.chunks)).toEqual(rowsOf(second.chunks).slice(10, 20));
      expect(scan).toHaveBeenLastCalledWith('Contact', false, secondStart);

      // Going back to the start replays the first page exactly (OFFSET-free query, fresh scan).
      expect(rowsOf(job.page(0, 50, 1e9).chunks)).toEqual(rowsOf(first.chunks));
    });

    it('applies OFFSET once when a later page resumes', () => {
      const query = compileSoql(`${soql} ORDER BY Id LIMIT 30 OFFSET 7`, { personAccounts: false });
      const take = (results: QueryResults, n: number): string[] => {
        const out: string[] = [];
        for (let i = 0; i < n; i++) {
          const record = results.next();
          if (!record) break;
          out.push(record.Id);
        }
        return out;
      };
      const reference = take(new QueryResults(org.store, query, false), 100);
      expect(reference).toHaveLength(30);
      const results = new QueryResults(org.store, query, false);
      take(results, 10);
      results.seek(10);
      take(results, 10);
      results.seek(20);
      results.seek(10);
      expect(take(results, 100)).toEqual(reference.slice(10));
    });
  });

  describe('platform defaults on insert', () => {
    const org = new EmulatedOrg({ seed: EMPTY_SEED, personAccounts: false });
    const { store } = org;

    it('makes the creating user the owner unless OwnerId is given', () => {
      const [mine, theirs] = store.insert(
        'Contact',
        [{ LastName: 'Mine' }, { LastName: 'Theirs', OwnerId: org.adminUser.userId }],
        org.integrationUser,
      );
      expect(store.get('Contact', mine.id as string)?.OwnerId).toBe(org.integrationUser.userId);
      expect(store.get('Contact', theirs.id as string)?.OwnerId).toBe(org.adminUser.userId);
      const [lead] = store.insert('Lead', [{ LastName: 'Lee', Company: 'Acme' }], org.adminUser);
      expect(store.get('Lead', lead.id as string)?.OwnerId).toBe(org.adminUser.userId);
    });

    it('gives a new Lead the first Status value unless one is given', () => {
      const [plain, working] = store.insert(
        'Lead',
        [
          { LastName: 'Plain', Company: 'Acme' },
          { LastName: 'Busy', Company: 'Acme', Status: 'Working - Contacted' },
        ],
        org.adminUser,
      );
      expect(store.get('Lead', plain.id as string)?.Status).toBe('Open - Not Contacted');
      expect(store.get('Lead', working.id as string)?.Status).toBe('Working - Contacted');
    });
  });

  describe('compound Name of Contact and Lead', () => {
    const org = new EmulatedOrg({ seed: EMPTY_SEED, personAccounts: false });
    const { store } = org;
    const actor = org.adminUser;

    it('derives Name from FirstName and LastName on create and update', () => {
      const [ada, solo] = store.insert(
        'Contact',
        [{ FirstName: 'Ada', LastName: 'Lovelace' }, { LastName: '  Solo ' }],
        actor,
      );
      expect(store.get('Contact', ada.id as string)?.Name).toBe('Ada Lovelace');
      expect(store.get('Contact', solo.id as string)?.Name).toBe('Solo');
      store.update('Contact', [{ Id: ada.id, FirstName: 'Augusta Ada' }], actor);
      expect(store.get('Contact', ada.id as string)?.Name).toBe('Augusta Ada Lovelace');
      store.update('Contact', [{ Id: ada.id, FirstName: null }], actor);
      expect(store.get('Contact', ada.id as string)?.Name).toBe('Lovelace');
      const [lead] = store.insert('Lead', [{ FirstName: 'Grace', LastName: 'Hopper', Company: 'Navy' }], actor);
      expect(store.get('Lead', lead.id as string)?.Name).toBe('Grace Hopper');
    });

    it('refuses Name on create and update, naming the field', () => {
      const [created] = store.insert('Contact', [{ LastName: 'X', Name: 'Y' }], actor);
      expect(created.success).toBe(false);
      expect(created.errors[0]).toMatchObject({ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Name'] });
      const [lead] = store.insert('Lead', [{ LastName: 'L', Company: 'C' }], actor);
      const [updated] = store.update('Lead', [{ Id: lead.id, Name: 'Other' }], actor);
      expect(updated.errors[0]).toMatchObject({ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Name'] });
    });

    it('is selectable and filterable in SOQL', () => {
      store.insert('Contact', [{ FirstName: 'Linus', LastName: 'Torvalds' }], actor);
      const results = new QueryResults(
        store,
        compileSoql("SELECT Name FROM Contact WHERE Name = 'Linus Torvalds'", { personAccounts: false }),
        false,
      );
      const names: unknown[] = [];
      for (let record = results.next(); record; record = results.next()) names.push(record.Name);
      expect(names).toEqual(['Linus Torvalds']);
    });
  });

  describe('over REST', () => {
    let h: QueryHarness;
    beforeAll(async () => {
      h = await startQueryHarness({ seed: SMALL, personAccounts: false });
    });
    afterAll(() => h.close());

    it('answers SELECT Name FROM Contact for seeded and created records', async () => {
      const created = await h.conn.sobject('Contact').create({ FirstName: 'Edsger', LastName: 'Dijkstra' });
      const result = await h.conn.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Contact ORDER BY Id');
      expect(result.totalSize).toBe(41);
      const seeded = h.org.store.get('Contact', h.org.store.idFor('Contact', 0));
      expect(result.records[0].Name).toBe(`${String(seeded?.FirstName ?? '')} ${String(seeded?.LastName)}`.trim());
      expect(result.records.find((r) => r.Id === (created as { id: string }).id)?.Name).toBe('Edsger Dijkstra');
      const lead = await h.conn.query<{ Name: string; Status: string; OwnerId: string }>(
        'SELECT Name, Status, OwnerId FROM Lead LIMIT 1',
      );
      expect(lead.records[0].Name).toEqual(expect.any(String));
    });

    it('describes Name as read-only and Lead Status with its default value', async () => {
      const contact = await h.conn.describe('Contact');
      expect(contact.fields.find((f) => f.name === 'Name')).toMatchObject({
        type: 'string',
        createable: false,
        updateable: false,
        nameField: true,
      });
      const lead = await h.conn.describe('Lead');
      const status = lead.fields.find((f) => f.name === 'Status');
      expect(status?.defaultedOnCreate).toBe(true);
      expect(status?.picklistValues?.filter((v) => v.defaultValue).map((v) => v.value)).toEqual([
        'Open - Not Contacted',
      ]);
    });

    it('applies the owner and Status defaults to a Lead created over REST', async () => {
      const created = (await h.conn.sobject('Lead').create({ LastName: 'Rest', Company: 'Acme' })) as { id: string };
      const lead = await h.conn.sobject('Lead').retrieve(created.id);
      expect(lead).toMatchObject({
        Status: 'Open - Not Contacted',
        OwnerId: h.org.integrationUser.userId,
        Name: 'Rest',
      });
    });
  });
});
