/**
 * links.sf_values: the mapped Salesforce values last seen or written per link, so a telephony edit sends
 * only the fields that differ. outbox_record_idx: the claim query holds back a record's newer changes
 * while an older one is queued, looking them up by record id.
 */
export const name = 'link_values_outbox_order';

export const sql = `
ALTER TABLE links ADD COLUMN sf_values jsonb;
CREATE INDEX outbox_record_idx ON outbox (org_id, record_id) WHERE state IN ('pending', 'processing');
`;
