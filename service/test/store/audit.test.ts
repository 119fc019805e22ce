import {
  countRecentDeletesSentToSalesforce,
  countRecentSalesforceDeletes,
  listAudit,
  recordAudit,
  type AuditEntry,
} from '../../src/store/audit';
import { describeEachBackend, resetDatabase } from '../support/backends';

const CONTACT = '11111111-1111-4111-8111-111111111111';

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    orgId: 'org-1',
    contactId: CONTACT,
    recordId: '003A',
    origin: 'salesforce',
    action: 'update',
    rule: null,
    before: null,
    after: null,
    ...overrides,
  };
}

describeEachBackend('audit log', (getDb) => {
  beforeEach(() => resetDatabase(getDb()));

  it('records entries with JSON values and lists them newest first', async () => {
    await recordAudit(getDb(), entry({ action: 'create', before: null, after: { firstName: 'Ada', phones: ['+1'] } }));
    await recordAudit(
      getDb(),
      entry({ action: 'update', rule: 'last-writer-wins', before: { title: 'a' }, after: { title: 'b' } }),
    );
    await recordAudit(
      getDb(),
      entry({ contactId: null, recordId: null, origin: 'system', action: 'initial-sync', after: [1, 2, 3] }),
    );

    const all = await listAudit(getDb(), { limit: 10 });
    expect(all.map((e) => e.action)).toEqual(['initial-sync', 'update', 'create']);
    expect(all[2]).toMatchObject({
      orgId: 'org-1',
      contactId: CONTACT,
      origin: 'salesforce',
      before: null,
      after: { firstName: 'Ada', phones: ['+1'] },
    });
    expect(all[1]).toMatchObject({ rule: 'last-writer-wins', before: { title: 'a' }, after: { title: 'b' } });
    expect(all[0]?.after).toEqual([1, 2, 3]);
    expect(all[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('filters by contact and limits', async () => {
    const other = '22222222-2222-4222-8222-222222222222';
    for (let i = 0; i < 3; i++) await recordAudit(getDb(), entry({ action: `a${i}` }));
    await recordAudit(getDb(), entry({ contactId: other, action: 'other' }));
    expect((await listAudit(getDb(), { contactId: CONTACT, limit: 2 })).map((e) => e.action)).toEqual(['a2', 'a1']);
    expect((await listAudit(getDb(), { contactId: other, limit: 10 })).map((e) => e.action)).toEqual(['other']);
    expect(await listAudit(getDb(), { contactId: 'not-a-uuid', limit: 10 })).toEqual([]);
  });

  it('outlives the contact (no foreign key) and rejects bad input naming the field', async () => {
    await expect(
      recordAudit(getDb(), entry({ contactId: '33333333-3333-4333-8333-333333333333' })),
    ).resolves.toBeUndefined();
    await expect(recordAudit(getDb(), entry({ origin: 'phone' as never }))).rejects.toThrow(
      /origin: expects one of salesforce, telephony, system, got "phone" \(record 003A\)/,
    );
    await expect(recordAudit(getDb(), entry({ contactId: 'abc' }))).rejects.toThrow(/contactId: expects a contact id/);
    await expect(listAudit(getDb(), { limit: -1 })).rejects.toThrow(/limit: expects an integer/);
  });

  it("counts the Salesforce deletes of the guard's window: deletes, unlinks and exclusions that took a contact", async () => {
    await recordAudit(getDb(), entry({ action: 'delete' }));
    await recordAudit(getDb(), entry({ action: 'unlink' }));
    await recordAudit(getDb(), entry({ action: 'excluded', before: { firstName: 'Ada' } }));
    // Not deletes: an exclusion of a record that had no contact, another origin, another org, an update.
    await recordAudit(getDb(), entry({ action: 'excluded', before: null }));
    await recordAudit(getDb(), entry({ action: 'delete', origin: 'system' }));
    await recordAudit(getDb(), entry({ action: 'delete', orgId: 'org-2' }));
    await recordAudit(getDb(), entry({ action: 'update' }));
    await getDb().query(
      `INSERT INTO audit_log (org_id, origin, action, at) VALUES ('org-1', 'salesforce', 'delete', now() - interval '11 minutes')`,
    );

    expect(await countRecentSalesforceDeletes(getDb(), 'org-1', 10)).toBe(3);
    expect(await countRecentSalesforceDeletes(getDb(), 'org-1', 12)).toBe(4);
  });

  it("counts the Salesforce deletes the write-back worker sent in the guard's window", async () => {
    const sent = { origin: 'telephony' as const, action: 'deleted-in-salesforce' };
    await recordAudit(getDb(), entry(sent));
    await recordAudit(getDb(), entry(sent));
    // Not sent deletes: another action, a Salesforce-side delete, another org.
    await recordAudit(getDb(), entry({ ...sent, action: 'delete-approved' }));
    await recordAudit(getDb(), entry({ action: 'deleted-in-salesforce' }));
    await recordAudit(getDb(), entry({ ...sent, orgId: 'org-2' }));
    await getDb().query(
      `INSERT INTO audit_log (org_id, origin, action, at) VALUES ('org-1', 'telephony', 'deleted-in-salesforce', now() - interval '11 minutes')`,
    );

    expect(await countRecentDeletesSentToSalesforce(getDb(), 'org-1', 10)).toBe(2);
    expect(await countRecentDeletesSentToSalesforce(getDb(), 'org-1', 12)).toBe(3);
  });
});
