/**
 * Write-back of telephony-born contacts. outbox_one_create_idx: at most one create per contact and org
 * may be waiting or in flight, so re-evaluating a contact (on every PATCH) can never queue a second
 * Salesforce record for it; it also finds a contact's waiting create to refresh or cancel it.
 */
export const name = 'write_back';

export const sql = `
CREATE UNIQUE INDEX outbox_one_create_idx ON outbox (org_id, contact_id)
  WHERE operation = 'create' AND state IN ('pending', 'processing');
`;
