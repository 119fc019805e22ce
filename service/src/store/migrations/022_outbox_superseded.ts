/**
 * Fields of a claimed update whose value Salesforce won while the row was on its way (a person's edit in
 * Salesforce, applied while the write waited for its answer). The row keeps its payload — the event of
 * its own write must still be told from a person's edit — but a worker that claims it again leaves these
 * fields out: the old value must not land over the winner's a second time.
 */
export const name = 'outbox_superseded';

export const sql = `
ALTER TABLE outbox ADD COLUMN superseded text[] NOT NULL DEFAULT '{}';
`;
