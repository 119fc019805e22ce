/**
 * The directory side of a reconcile walks the contacts changed since its watermark in order of change
 * (updated_at, id). Without an index each page sorted every matching contact again: after an initial
 * sync of a million, every one of two thousand pages sorted a million rows.
 */
export const name = 'contacts_by_change';

export const sql = `
CREATE INDEX directory_contacts_changed_idx ON directory_contacts (updated_at, id);
`;
