import { insertContact } from '../../../src/directory/contacts';
import {
  clearRecordHealth,
  countRecordHealth,
  getRecordHealth,
  healthOfContact,
  insertExclusionsBulk,
  listRecordHealth,
  markHealthIgnored,
  recordIdsWithHealth,
  setRecordHealth,
} from '../../../src/store/state/recordHealth';
import { StoreInputError } from '../../../src/store/values';
import { describeEachBackend, resetDatabase } from '../../support/backends';
import { contactFields, ORG_ID, seedOrg } from '../../support/fixtures';

describeEachBackend('record health', (getDb) => {
  beforeEach(async () => {
    await resetDatabase(getDb());
    await seedOrg(getDb());
  });

  it('records an exclusion, keeps "since" across refreshes of the same code, and clears it', async () => {
    const first = await setRecordHealth(getDb(), {
      orgId: ORG_ID,
      side: 'salesforce',
      key: '003000000000001AAA',
      sobject: 'Contact',
      recordId: '003000000000001AAA',
      state: 'excluded',
      code: 'EXCLUDED_NO_PHONE',
      reason: 'no valid phone number',
    });
    expect(first).toMatchObject({
      state: 'excluded',
      code: 'EXCLUDED_NO_PHONE',
      sobject: 'Contact',
      attempts: 0,
      nextRetryAt: null,
    });
    await new Promise((r) => setTimeout(r, 5));
    const again = await setRecordHealth(getDb(), { ...first, reason: 'still no valid phone number' });
    expect(again.since).toBe(first.since);
    expect(again.reason).toBe('still no valid phone number');
    const other = await setRecordHealth(getDb(), {
      ...first,
      state: 'failing',
      code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      reason: 'x',
      attempts: 2,
    });
    expect(other.since).not.toBe(first.since);
    expect(await countRecordHealth(getDb(), ORG_ID)).toEqual({ excluded: 0, failing: 1, ignored: 0 });
    expect(await clearRecordHealth(getDb(), ORG_ID, 'salesforce', '003000000000001AAA')).toBe(true);
    expect(await clearRecordHealth(getDb(), ORG_ID, 'salesforce', '003000000000001AAA')).toBe(false);
    expect(await getRecordHealth(getDb(), ORG_ID, 'salesforce', '003000000000001AAA')).toBeNull();
  });

  it("keeps an admin's Ignored while the same error recurs, counts it apart, and drops it when the error changes", async () => {
    const key = '003000000000002AAA';
    const failing = {
      orgId: ORG_ID,
      side: 'salesforce' as const,
      key,
      recordId: key,
      state: 'failing' as const,
      code: 'UNABLE_TO_LOCK_ROW',
      reason: 'locked',
      attempts: 1,
    };
    await setRecordHealth(getDb(), { ...failing, nextRetryAt: new Date(Date.now() + 60_000).toISOString() });
    await setRecordHealth(getDb(), {
      orgId: ORG_ID,
      side: 'salesforce',
      key: '003000000000003AAA',
      state: 'excluded',
      code: 'EXCLUDED_NO_PHONE',
      reason: 'no phone',
    });

    const marked = await markHealthIgnored(getDb(), ORG_ID, [
      { side: 'salesforce', key },
      // An exclusion is not retried: there is nothing to ignore.
      { side: 'salesforce', key: '003000000000003AAA' },
    ]);
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatchObject({ key, ignoredAt: expect.any(String), nextRetryAt: null });
    expect(await markHealthIgnored(getDb(), ORG_ID, [{ side: 'salesforce', key }])).toEqual([]);
    expect(await countRecordHealth(getDb(), ORG_ID)).toEqual({ excluded: 1, failing: 0, ignored: 1 });

    const recurred = await setRecordHealth(getDb(), { ...failing, attempts: 2 });
    expect(recurred.ignoredAt).toBe(marked[0].ignoredAt);
    const changed = await setRecordHealth(getDb(), { ...failing, code: 'REQUEST_LIMIT_EXCEEDED' });
    expect(changed.ignoredAt).toBeNull();
    expect(await countRecordHealth(getDb(), ORG_ID)).toEqual({ excluded: 1, failing: 1, ignored: 0 });
  });

  it('finds every entry of a contact and lists by state', async () => {
    const contact = await insertContact(getDb(), contactFields(), 'telephony');
    await setRecordHealth(getDb(), {
      orgId: ORG_ID,
      side: 'telephony',
      key: contact.id,
      state: 'excluded',
      code: 'EXCLUDED_NO_LAST_NAME',
      reason: 'no last name',
    });
    await setRecordHealth(getDb(), {
      orgId: ORG_ID,
      side: 'salesforce',
      key: '00Q000000000001AAA',
      contactId: contact.id,
      state: 'failing',
      code: 'UNABLE_TO_LOCK_ROW',
      reason: 'locked',
      attempts: 3,
      nextRetryAt: '2030-01-01T00:00:00.000Z',
    });
    expect((await healthOfContact(getDb(), contact.id)).map((h) => h.code).sort()).toEqual([
      'EXCLUDED_NO_LAST_NAME',
      'UNABLE_TO_LOCK_ROW',
    ]);
    expect(await healthOfContact(getDb(), 'nope')).toEqual([]);
    const failing = await listRecordHealth(getDb(), ORG_ID, { state: 'failing' });
    expect(failing).toHaveLength(1);
    expect(failing[0]).toMatchObject({ attempts: 3, nextRetryAt: '2030-01-01T00:00:00.000Z' });
  });

  it('rejects bad input naming the field and the record', async () => {
    await expect(
      setRecordHealth(getDb(), {
        orgId: ORG_ID,
        side: 'salesforce',
        key: '003x',
        state: 'gone' as 'failing',
        code: 'C',
        reason: 'r',
      }),
    ).rejects.toThrow(new StoreInputError('state', 'expects excluded or failing, got "gone"', '003x'));
    await expect(
      setRecordHealth(getDb(), {
        orgId: ORG_ID,
        side: 'salesforce',
        key: '003x',
        state: 'failing',
        code: 'C',
        reason: 'r',
        contactId: 'bad',
      }),
    ).rejects.toThrow(/contactId: .*bad.*record 003x/);
  });

  it('records a page of exclusions at once and finds which records of a batch have an entry', async () => {
    await insertExclusionsBulk(getDb(), ORG_ID, []);
    await insertExclusionsBulk(getDb(), ORG_ID, [
      { sobject: 'Contact', recordId: '003A', code: 'EXCLUDED_NO_PHONE', reason: 'no valid phone number' },
      { sobject: 'Lead', recordId: '00QB', code: 'EXCLUDED_NO_LAST_NAME', reason: 'no last name' },
    ]);
    expect(await getRecordHealth(getDb(), ORG_ID, 'salesforce', '00QB')).toMatchObject({
      sobject: 'Lead',
      recordId: '00QB',
      state: 'excluded',
      code: 'EXCLUDED_NO_LAST_NAME',
      reason: 'no last name',
    });
    await setRecordHealth(getDb(), {
      orgId: ORG_ID,
      side: 'telephony',
      key: '003C',
      state: 'failing',
      code: 'X',
      reason: 'a contact key, not a record',
    });
    expect(await recordIdsWithHealth(getDb(), ORG_ID, ['003A', '00QB', '003C', '003D'])).toEqual(
      new Set(['003A', '00QB']),
    );
    expect(await recordIdsWithHealth(getDb(), ORG_ID, [])).toEqual(new Set());
  });
});
