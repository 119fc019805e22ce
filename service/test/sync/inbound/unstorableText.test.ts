import {
  eventually,
  linkedContact,
  quietCreate,
  quietUpdate,
  startStack,
  uiCreate,
  uiUpdate,
  SMALL_SEED,
  type Stack,
} from '../../support/harness';
import { listAudit, type AuditRecord } from '../../../src/store/audit';
import { getRecordHealth } from '../../../src/store/state/recordHealth';

/**
 * Issue 12, item 2: Salesforce text Postgres cannot store (U+0000 anywhere; a lone UTF-16 surrogate,
 * which JSON carries but jsonb refuses) once failed the whole batch it came in, so one record stopped an
 * org's stream, its initial sync and its reconcile for good. Such text is cleaned by a documented rule
 * (README, "Text Postgres cannot store") and the cleaning is audited naming the record and the fields.
 */
const ORG = 'primary';
const NUL_NAME = 'Nul\u0000lington';
const LONE_TITLE = 'Head \ud800of Sales';

const cleanedEntries = async (stack: Stack, recordId: string): Promise<AuditRecord[]> =>
  (await listAudit(stack.db, { limit: 500 })).filter((a) => a.recordId === recordId && a.action === 'cleaned');

describe('text Postgres cannot store, from change events', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('cleans the record, names it and its fields in the audit, and later edits keep arriving', async () => {
    const good = uiCreate(stack, 'Contact', { LastName: 'Before', Phone: '+1 415 555 0301' });
    await eventually(() => linkedContact(stack, good), 'the good record');

    const bad = uiCreate(stack, 'Contact', { LastName: NUL_NAME, Title: LONE_TITLE, Phone: '+1 415 555 0302' });
    uiUpdate(stack, 'Contact', good, { Title: 'After the bad one' });
    await eventually(
      async () => (await linkedContact(stack, good))?.title === 'After the bad one',
      'the edit made after the bad record',
    );

    expect(await linkedContact(stack, bad)).toMatchObject({ lastName: 'Nullington', title: 'Head \ufffdof Sales' });
    expect(await getRecordHealth(stack.db, ORG, 'salesforce', bad)).toBeNull();
    const [entry, ...more] = await cleanedEntries(stack, bad);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ orgId: ORG, origin: 'salesforce' });
    expect(entry.rule).toContain(`Contact ${bad}`);
    expect(entry.rule).toContain('LastName: 1 U+0000 removed');
    expect(entry.rule).toContain('Title: 1 lone surrogate replaced by U+FFFD');

    // The admin's fix arrives like any edit, and clean text is not audited.
    uiUpdate(stack, 'Contact', bad, { LastName: 'Nullingham', Title: 'Head of Sales' });
    uiUpdate(stack, 'Contact', good, { Title: 'Later still' });
    await eventually(
      async () => (await linkedContact(stack, good))?.title === 'Later still',
      'the edit made after the fix',
    );
    expect(await linkedContact(stack, bad)).toMatchObject({ lastName: 'Nullingham', title: 'Head of Sales' });
    expect(await cleanedEntries(stack, bad)).toHaveLength(1);
  });
});

describe('text Postgres cannot store, in an initial sync', () => {
  let stack: Stack;
  let bad: string;

  beforeAll(async () => {
    stack = await startStack({
      initialSync: true,
      beforeService(emulator) {
        const [result] = emulator.org.store.insert(
          'Contact',
          [{ LastName: NUL_NAME, Title: LONE_TITLE, Phone: '+1 415 555 0303' }],
          emulator.org.integrationUser,
        );
        bad = String(result.id);
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('finishes done with every record, the bad one cleaned and named in the audit', async () => {
    const status = await stack.service.orgs[0].initialSyncSettled();
    const all = SMALL_SEED.contacts + 1 + SMALL_SEED.leads + SMALL_SEED.personAccounts;
    expect(status).toMatchObject({ state: 'done', done: all, error: null });
    const contact = await linkedContact(stack, bad);
    expect(contact?.lastName).toBe('Nullington');
    // Bulk API results are UTF-8 CSV: a lone surrogate arrives as U+FFFD already.
    expect(contact?.title).toBe('Head \ufffdof Sales');
    const [entry] = await cleanedEntries(stack, bad);
    expect(entry?.rule).toContain('LastName: 1 U+0000 removed');
    const seeded = stack.emulator.org.store.idFor('Contact', 0);
    expect(await linkedContact(stack, seeded)).toBeDefined();
  });
});

describe('text Postgres cannot store, in a reconcile', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('answers, repairs the other records and cleans the bad one', async () => {
    const [good, bad] = quietCreate(stack, 'Contact', [
      { LastName: 'Quiet', Phone: '+1 415 555 0304' },
      { LastName: NUL_NAME, Title: LONE_TITLE, Phone: '+1 415 555 0305' },
    ]);
    // The first run sweeps through Bulk API 2.0 (UTF-8 CSV: the lone surrogate arrives as U+FFFD).
    const res = await stack.api('POST', `/orgs/${ORG}/commands`, { command: 'reconcile' });
    expect(res.status).toBe(200);
    expect(await linkedContact(stack, good)).toMatchObject({ lastName: 'Quiet' });
    expect(await linkedContact(stack, bad)).toMatchObject({ lastName: 'Nullington', title: 'Head \ufffdof Sales' });
    const [first] = await cleanedEntries(stack, bad);
    expect(first.rule).toContain(`Contact ${bad}`);
    expect(first.rule).toContain('LastName: 1 U+0000 removed');

    // The next run reads the changes through REST (JSON: the lone surrogate arrives as it is).
    quietUpdate(stack, 'Contact', good, { Title: 'Quietly promoted' });
    quietUpdate(stack, 'Contact', bad, { Title: 'Head \udc00of Marketing' });
    const again = await stack.api('POST', `/orgs/${ORG}/commands`, { command: 'reconcile' });
    expect(again.status).toBe(200);
    expect(await linkedContact(stack, good)).toMatchObject({ title: 'Quietly promoted' });
    expect(await linkedContact(stack, bad)).toMatchObject({ title: 'Head \ufffdof Marketing' });
    const [second] = await cleanedEntries(stack, bad);
    expect(second.rule).toContain('Title: 1 lone surrogate replaced by U+FFFD');

    // Read again (the watermark's overlap), the same text is neither a repair nor a new audit entry.
    const third = await stack.api('POST', `/orgs/${ORG}/commands`, { command: 'reconcile' });
    expect(third.status).toBe(200);
    expect(await cleanedEntries(stack, bad)).toHaveLength(2);
  });
});
