/**
 * An admin can set a sync error record to Ignored in Salesforce ("stop retrying this record"). The
 * service keeps that on the health entry: its retries stop, a new edit of the record is tried once, and
 * the mark goes when the error changes (another code) or the write goes through.
 */
export const name = 'ignored_errors';

export const sql = `
ALTER TABLE record_health ADD COLUMN ignored_at timestamptz;
`;
