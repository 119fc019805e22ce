/**
 * `links.telephony_version`: the directory contact's version that `telephony_hash` was computed from, where the
 * writer knew it exactly (the initial sync's set-based load makes both in one transaction: version 1). A reconcile
 * then passes over a link whose contact is still at that version without reading the contact: the first
 * reconcile after a million-record load no longer hashes a million contacts to find nothing. NULL (every other
 * writer, and every link made before) means "not known": the contact is read and hashed as before. A writer
 * that changes the hash and leaves an older version is safe — the contact's version has moved past it.
 */
export const name = 'link_seen_version';

export const sql = `
ALTER TABLE links ADD COLUMN telephony_version integer;
`;
