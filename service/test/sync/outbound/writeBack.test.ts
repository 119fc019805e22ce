import {
  eventually,
  linkedContactId,
  runtimeOf,
  startStack,
  uiCreate,
  updateSyncRecord,
  type Stack,
} from '../../support/harness';
import { getContact, insertContact } from '../../../src/directory/contacts';
import { listAudit } from '../../../src/store/audit';
import { enqueueOutbox, listOutbox, type OutboxItem } from '../../../src/store/outbox/outbox';
import { stableHash } from '../../../src/sync/rules/hash';
import { getRecordHealth } from '../../../src/store/state/recordHealth';
import { findLinksByContact, type Link } from '../../../src/store/state/links';
import { queueCreate } from '../../../src/sync/outbound/telephonyCreate';
import { LEAD_COMPANY_PLACEHOLDER } from '../../../src/sync/outbound/salesforceRequirements';

const ORG = 'primary';

/** The contact's link in an org, once the worker has created its record. */
async function linkIn(stack: Stack, contactId: string, orgId = ORG): Promise<Link> {
  return eventually(
    async () => (await findLinksByContact(stack.db, contactId)).find((l) => l.orgId === orgId),
    `the link of ${contactId} in ${orgId}`,
  );
}

async function outboxOf(stack: Stack, contactId: string): Promise<OutboxItem[]> {
  return (await listOutbox(stack.db, { limit: 1000 })).filter((r) => r.contactId === contactId);
}

async function actions(stack: Stack, contactId: string): Promise<string[]> {
  return (await listAudit(stack.db, { contactId, limit: 50 })).map((a) => a.action).reverse();
}

describe('write-back of telephony-born contacts and telephony deletes', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('creates a POSTed contact as a Salesforce Contact, links it, and sends later edits to that record', async () => {
    const res = await stack.api('POST', '/contacts', {
      firstName: 'Katherine',
      lastName: 'Johnson',
      email: 'katherine@nasa.example.com',
      title: 'Mathematician',
      phones: [{ kind: 'work', number: '+1 757 864 1000' }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      queuedCreates: 1,
      excluded: [],
      contact: { source: 'telephony', lastName: 'Johnson' },
    });
    const contactId: string = res.body.contact.id;

    const link = await linkIn(stack, contactId);
    expect(link.sobject).toBe('Contact');
    const record = stack.emulator.org.store.get('Contact', link.recordId);
    expect(record).toMatchObject({
      FirstName: 'Katherine',
      LastName: 'Johnson',
      Email: 'katherine@nasa.example.com',
      Title: 'Mathematician',
      Phone: '+1 757 864 1000',
      CreatedById: stack.emulator.org.integrationUser.userId,
    });
    await eventually(
      async () => (await outboxOf(stack, contactId)).every((r) => r.state === 'done') || undefined,
      'the create to settle',
    );
    expect(await actions(stack, contactId)).toEqual(['create', 'created-in-salesforce']);
    expect(await getRecordHealth(stack.db, ORG, 'telephony', contactId)).toBeNull();

    expect((await stack.api('PATCH', `/contacts/${contactId}`, { title: 'Research Mathematician' })).status).toBe(200);
    await eventually(
      () => stack.emulator.org.store.get('Contact', link.recordId)?.Title === 'Research Mathematician' || undefined,
      'the edit',
    );
    expect((await findLinksByContact(stack.db, contactId)).map((l) => l.recordId)).toEqual([link.recordId]);
  });

  it('holds back a contact Salesforce cannot take, says why, and creates it once an edit fixes it', async () => {
    const res = await stack.api('POST', '/contacts', {
      company: 'Front Desk',
      phones: [{ kind: 'work', number: '+1 650 555 0190' }],
    });
    expect(res.status).toBe(201);
    const contactId: string = res.body.contact.id;
    expect(res.body.queuedCreates).toBe(0);
    expect(res.body.excluded).toEqual([
      { orgId: ORG, code: 'EXCLUDED_NO_LAST_NAME', reason: expect.stringContaining('requires a last name') },
    ]);
    expect(await getRecordHealth(stack.db, ORG, 'telephony', contactId)).toMatchObject({
      state: 'excluded',
      code: 'EXCLUDED_NO_LAST_NAME',
      sobject: 'Contact',
    });
    expect(await outboxOf(stack, contactId)).toEqual([]);

    const edit = await stack.api('PATCH', `/contacts/${contactId}`, { lastName: 'Reception' });
    expect(edit.body.queuedCreates).toBe(1);
    const link = await linkIn(stack, contactId);
    expect(stack.emulator.org.store.get('Contact', link.recordId)).toMatchObject({
      LastName: 'Reception',
      Phone: '+1 650 555 0190',
    });
    expect(await getRecordHealth(stack.db, ORG, 'telephony', contactId)).toBeNull();
  });

  it('creates a Lead when Leads are the default object, with Company "[not provided]" when there is none', async () => {
    await updateSyncRecord(stack, { Default_Object__c: 'Lead', Sync_Leads__c: true });
    try {
      const res = await stack.api('POST', '/contacts', {
        firstName: 'Robert',
        lastName: 'Noyce',
        phones: [{ kind: 'mobile', number: '+1 408 555 0191' }],
      });
      const link = await linkIn(stack, res.body.contact.id);
      expect(link.sobject).toBe('Lead');
      expect(stack.emulator.org.store.get('Lead', link.recordId)).toMatchObject({
        LastName: 'Noyce',
        Company: LEAD_COMPANY_PLACEHOLDER,
        MobilePhone: '+1 408 555 0191',
      });
    } finally {
      await updateSyncRecord(stack, { Default_Object__c: 'Contact' });
    }
  });

  it('queues no create when the sync only runs Salesforce → telephony', async () => {
    await updateSyncRecord(stack, { Direction__c: 'ToTelephony' });
    try {
      const res = await stack.api('POST', '/contacts', {
        lastName: 'Inbound Only',
        phones: [{ kind: 'work', number: '+1 408 555 0192' }],
      });
      expect(res.body.queuedCreates).toBe(0);
      expect(await outboxOf(stack, res.body.contact.id)).toEqual([]);
    } finally {
      await updateSyncRecord(stack, { Direction__c: 'Both' });
    }
  });

  it('parks a create Salesforce refuses with its code in record_health, and tries again after an edit', async () => {
    // A directory contact from elsewhere (a PBX import) with a value Salesforce refuses, pushed as the initial sync does.
    const runtime = runtimeOf(stack);
    const contact = await stack.db.transaction(async (tx) => {
      const c = await insertContact(
        tx,
        {
          lastName: 'Imported',
          email: 'not-an-email',
          phones: [{ kind: 'work', raw: '+1 408 555 0193', e164: '+14085550193', extension: null }],
        },
        'telephony',
      );
      expect(await queueCreate(tx, runtime.settings, c)).toBe('queued');
      return c;
    });
    runtime.writeBack.kick();
    const parked = await eventually(
      async () => (await outboxOf(stack, contact.id)).find((r) => r.state === 'failed'),
      'the refused create to be parked',
    );
    expect(parked).toMatchObject({ operation: 'create', lastErrorCode: 'INVALID_EMAIL_ADDRESS', attempts: 1 });
    expect(await getRecordHealth(stack.db, ORG, 'telephony', contact.id)).toMatchObject({
      state: 'failing',
      code: 'INVALID_EMAIL_ADDRESS',
      attempts: 1,
      nextRetryAt: null,
      reason: expect.stringContaining('create failed: Email: invalid email address: not-an-email'),
    });
    expect(await actions(stack, contact.id)).toContain('write-back-failed');

    const edit = await stack.api('PATCH', `/contacts/${contact.id}`, { email: 'imported@example.com' });
    expect(edit.body.queuedCreates).toBe(1);
    const link = await linkIn(stack, contact.id);
    expect(stack.emulator.org.store.get('Contact', link.recordId)).toMatchObject({
      LastName: 'Imported',
      Email: 'imported@example.com',
    });
    expect(await getRecordHealth(stack.db, ORG, 'telephony', contact.id)).toBeNull();
  });

  it("sends a parked update again when the record is synced now (the dashboard's Retry)", async () => {
    const recordId = uiCreate(stack, 'Contact', { LastName: 'Retry Me', Phone: '+1 408 555 0181' });
    const contactId = await linkedContactId(stack, recordId);
    // An update Salesforce refuses for good (the phone API itself would not take this email).
    const [link] = await findLinksByContact(stack.db, contactId);
    const payload = { Email: 'not-an-email' };
    await enqueueOutbox(stack.db, {
      orgId: ORG,
      contactId,
      linkId: link.id,
      sobject: 'Contact',
      recordId,
      operation: 'update',
      payload,
      payloadHash: stableHash(payload),
    });
    runtimeOf(stack).writeBack.kick();
    const parked = await eventually(
      async () => (await outboxOf(stack, contactId)).find((r) => r.operation === 'update' && r.state === 'failed'),
      'the refused update to be parked',
    );
    expect(parked).toMatchObject({ recordId, lastErrorCode: 'INVALID_EMAIL_ADDRESS', attempts: 1 });

    const result = await runtimeOf(stack).syncRecords([recordId]);
    expect(result).toMatchObject({ applied: 1, retried: 1, skipped: [] });
    runtimeOf(stack).writeBack.kick();
    // Salesforce still refuses it, but it was sent again: a second attempt, parked again.
    await eventually(
      async () =>
        (await outboxOf(stack, contactId)).find((r) => r.id === parked.id && r.state === 'failed' && r.attempts === 2),
      'the retried update',
    );
  });

  it('retries a create that met a lock, showing it as failing with its next retry meanwhile', async () => {
    const org = stack.emulator.org;
    Object.assign(org.faults, { errorKinds: ['UNABLE_TO_LOCK_ROW'], failNextRequests: 1 });
    const res = await stack.api('POST', '/contacts', {
      lastName: 'Locked Out',
      phones: [{ kind: 'work', number: '+1 408 555 0194' }],
    });
    const contactId: string = res.body.contact.id;
    const failing = await eventually(
      () => getRecordHealth(stack.db, ORG, 'telephony', contactId).then((h) => h ?? undefined),
      'the failing entry',
    );
    expect(failing).toMatchObject({
      state: 'failing',
      code: 'UNABLE_TO_LOCK_ROW',
      attempts: 1,
      nextRetryAt: expect.any(String),
    });
    const link = await linkIn(stack, contactId);
    expect(org.store.get('Contact', link.recordId)?.LastName).toBe('Locked Out');
    expect(await getRecordHealth(stack.db, ORG, 'telephony', contactId)).toBeNull();
  });

  it('deletes the linked record in Salesforce when deletes propagate there; an already deleted one counts as done', async () => {
    await updateSyncRecord(stack, { Propagate_Deletes_To_Salesforce__c: true });
    try {
      const kept = uiCreate(stack, 'Contact', { LastName: 'To Delete', Phone: '+1 408 555 0195' });
      const gone = uiCreate(stack, 'Contact', { LastName: 'Gone Already', Phone: '+1 408 555 0196' });
      const keptContact = await linkedContactId(stack, kept);
      const goneContact = await linkedContactId(stack, gone);
      // Deleted by the integration user: no event, so the directory still links it.
      stack.emulator.org.store.delete('Contact', [gone], stack.emulator.org.integrationUser);

      const res = await stack.api('DELETE', `/contacts/${keptContact}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        deleted: keptContact,
        deletingInSalesforce: [{ orgId: ORG, sobject: 'Contact', recordId: kept }],
        unlinked: [],
      });
      expect((await stack.api('GET', `/contacts/${keptContact}`)).status).toBe(404);
      expect(await getContact(stack.db, keptContact)).toBeNull();
      await eventually(
        () => stack.emulator.org.store.get('Contact', kept) === undefined || undefined,
        'the Salesforce delete',
      );
      await eventually(
        async () => (await outboxOf(stack, keptContact)).every((r) => r.state === 'done') || undefined,
        'the delete to settle',
      );
      expect(await actions(stack, keptContact)).toEqual(['create', 'delete-queued', 'delete', 'deleted-in-salesforce']);

      expect((await stack.api('DELETE', `/contacts/${goneContact}`)).status).toBe(200);
      const settled = await eventually(
        async () => (await outboxOf(stack, goneContact)).find((r) => r.state === 'done'),
        'the delete of a deleted record',
      );
      expect(settled).toMatchObject({ operation: 'delete', recordId: gone });
      const audit = await listAudit(stack.db, { contactId: goneContact, limit: 10 });
      expect(audit[0]).toMatchObject({
        action: 'deleted-in-salesforce',
        rule: 'Contact was already deleted in Salesforce (ENTITY_IS_DELETED)',
      });
    } finally {
      await updateSyncRecord(stack, { Propagate_Deletes_To_Salesforce__c: false });
    }
  });

  it('only unlinks when deletes do not propagate to Salesforce', async () => {
    const id = uiCreate(stack, 'Contact', { LastName: 'Stays', Phone: '+1 408 555 0197' });
    const contactId = await linkedContactId(stack, id);
    const res = await stack.api('DELETE', `/contacts/${contactId}`);
    expect(res.body).toEqual({
      deleted: contactId,
      deletingInSalesforce: [],
      unlinked: [{ orgId: ORG, sobject: 'Contact', recordId: id }],
    });
    expect(await outboxOf(stack, contactId)).toEqual([]);
    expect(stack.emulator.org.store.get('Contact', id)?.LastName).toBe('Stays');
    const audit = await listAudit(stack.db, { contactId, limit: 10 });
    expect(audit.find((a) => a.action === 'unlink')?.rule).toBe(
      'deleted in the directory; the Contact stays in Salesforce (deletes do not propagate to Salesforce)',
    );
    expect((await stack.api('DELETE', `/contacts/${contactId}`)).status).toBe(404);
  });

  it('withdraws a create not yet sent when the contact is deleted first', async () => {
    const runtime = runtimeOf(stack);
    await runtime.writeBack.stop();
    try {
      const res = await stack.api('POST', '/contacts', {
        lastName: 'Never Sent',
        phones: [{ kind: 'work', number: '+1 408 555 0198' }],
      });
      const contactId: string = res.body.contact.id;
      expect(await outboxOf(stack, contactId)).toHaveLength(1);
      expect((await stack.api('DELETE', `/contacts/${contactId}`)).status).toBe(200);
      expect(await outboxOf(stack, contactId)).toEqual([]);
    } finally {
      runtime.writeBack.start();
    }
  });
});

describe('write-back to two orgs', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ orgs: 2 });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("creates a telephony contact in both orgs, sends an edit to both, and deletes per each org's setting", async () => {
    const res = await stack.api('POST', '/contacts', {
      firstName: 'Mary',
      lastName: 'Jackson',
      phones: [{ kind: 'work', number: '+1 757 555 0101' }],
    });
    expect(res.body.queuedCreates).toBe(2);
    const contactId: string = res.body.contact.id;
    const [first, second] = [
      await linkIn(stack, contactId, stack.orgs[0].id),
      await linkIn(stack, contactId, stack.orgs[1].id),
    ];
    const recordIn = (org: number, id: string) => stack.emulators[org].org.store.get('Contact', id);
    expect(recordIn(0, first.recordId)?.LastName).toBe('Jackson');
    expect(recordIn(1, second.recordId)?.LastName).toBe('Jackson');

    expect((await stack.api('PATCH', `/contacts/${contactId}`, { title: 'Engineer' })).body.queuedWriteBacks).toBe(2);
    await eventually(
      () =>
        (recordIn(0, first.recordId)?.Title === 'Engineer' && recordIn(1, second.recordId)?.Title === 'Engineer') ||
        undefined,
      'the edit in both orgs',
    );

    const org2 = stack.emulators[1].org;
    org2.store.update(
      'Switchboard_Sync__c',
      [{ Id: org2.store.idFor('Switchboard_Sync__c', 0), Propagate_Deletes_To_Salesforce__c: true }],
      org2.adminUser,
    );
    await runtimeOf(stack, 1).reloadSettings();
    const deleted = await stack.api('DELETE', `/contacts/${contactId}`);
    expect(deleted.body).toMatchObject({
      deletingInSalesforce: [{ orgId: stack.orgs[1].id, recordId: second.recordId }],
      unlinked: [{ orgId: stack.orgs[0].id, recordId: first.recordId }],
    });
    await eventually(() => recordIn(1, second.recordId) === undefined || undefined, 'the delete in the second org');
    expect(recordIn(0, first.recordId)?.LastName).toBe('Jackson');
  });
});
