/**
 * CardDAV resources a client named itself. A client creates a contact with a PUT to a name of its choosing
 * (`/carddav/directory/<its-uid>.vcf`) and a vCard UID of its own, and then reads and writes it at that name and
 * expects that UID back (RFC 6352 §5.1, RFC 4918 PUT). Contacts with no row here are served as `<contact id>.vcf`
 * with the contact id as UID, so only client-made or client-renamed contacts cost a row.
 *
 * No foreign key: when the contact is deleted, the row stays, so a sync-collection report can still tell the client
 * that *its* name is gone (a 404 entry for a name it never saw would leave its copy behind). A later create at the
 * same name takes the row over (directory/carddavResources.ts).
 */
export const name = 'carddav_resources';

export const sql = `
CREATE TABLE carddav_resources (
  contact_id  uuid PRIMARY KEY,
  name        text NOT NULL UNIQUE CHECK (name ~ '^[^/]{1,255}$'),
  uid         text NOT NULL CHECK (length(uid) BETWEEN 1 AND 1000)
);
CREATE INDEX carddav_resources_uid_idx ON carddav_resources (uid);
`;
