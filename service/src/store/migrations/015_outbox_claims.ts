/**
 * Who claimed an outbox row, and how often it has been claimed. `claimed_by` names the worker instance,
 * so a restarted service takes back the rows of an instance that no longer lives at once instead of
 * waiting out their lease; `claims` above one means an earlier attempt may have reached Salesforce (the
 * worker died, or the call's answer was lost), so a create is looked for in the org before it is sent again.
 */
export const name = 'outbox_claims';

export const sql = `
ALTER TABLE outbox ADD COLUMN claims integer NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_by text;
`;
