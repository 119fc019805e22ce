import request from 'supertest';
import { listOutbox } from '../../src/store/outbox/outbox';
import { createLink } from '../../src/store/state/links';
import { DEFAULT_POLICY } from '../../src/sync/rules/context';
import { AUTH, ORG_ID, RECORD_ID, UNKNOWN_UUID, useApiHarness } from '../support/api-harness';

const harness = useApiHarness();

describe('DELETE /api/v1/contacts/:id', () => {
  it('deletes the contact and queues the Salesforce delete where deletes propagate', async () => {
    await harness.connectOrg({
      policy: { ...DEFAULT_POLICY, propagateDeletes: { toTelephony: true, toSalesforce: true } },
      objects: ['Contact'],
    });
    const ada = await harness.seed();
    await createLink(harness.db, { orgId: ORG_ID, contactId: ada.id, sobject: 'Contact', recordId: RECORD_ID });
    const res = await request(harness.demoUrl).delete(`/api/v1/contacts/${ada.id}`).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      deleted: ada.id,
      deletingInSalesforce: [{ orgId: ORG_ID, sobject: 'Contact', recordId: RECORD_ID }],
      unlinked: [],
    });
    expect(await listOutbox(harness.db, { limit: 10 })).toEqual([
      expect.objectContaining({ operation: 'delete', recordId: RECORD_ID, contactId: ada.id, state: 'pending' }),
    ]);
    expect(harness.writeBacks).toEqual([[ORG_ID]]);
    expect((await request(harness.demoUrl).get(`/api/v1/contacts/${ada.id}`).set(AUTH)).status).toBe(404);
  });

  it('answers 404 for an unknown contact', async () => {
    const res = await request(harness.demoUrl).delete(`/api/v1/contacts/${UNKNOWN_UUID}`).set(AUTH);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', record: UNKNOWN_UUID });
  });
});
