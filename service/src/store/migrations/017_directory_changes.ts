/**
 * A change order for the directory that devices follow (LDAP mirror, CardDAV sync tokens, phone-book ETags):
 * every insert or update of a contact takes the next `change_seq` and records the writing transaction's id; a
 * delete leaves a tombstone with its own `change_seq`. Writers need no code for it (triggers and defaults), so no
 * path that writes the directory can forget it.
 *
 * Why the transaction id: sequence values are taken when a row is written, not when its transaction commits, so a
 * transaction that commits late can make a change with a lower `change_seq` than one a reader has already passed.
 * Readers therefore also re-read rows written by transactions that were still running at their previous read
 * (`change_xid` at or above that read's snapshot xmin): see directory/changes.ts.
 *
 * Phones change only together with their contact row (directory/contacts.ts bumps version and updated_at; bulk
 * loads insert both in one transaction), so the contact row's change covers them.
 */
export const name = 'directory_changes';

export const sql = `
CREATE SEQUENCE directory_change_seq;

ALTER TABLE directory_contacts
  ADD COLUMN change_seq bigint NOT NULL DEFAULT nextval('directory_change_seq'),
  ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX directory_contacts_change_seq_idx ON directory_contacts (change_seq);
CREATE INDEX directory_contacts_change_xid_idx ON directory_contacts (change_xid);

CREATE FUNCTION directory_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_seq := nextval('directory_change_seq');
  NEW.change_xid := pg_current_xact_id();
  RETURN NEW;
END $$;
CREATE TRIGGER directory_contacts_change_order BEFORE UPDATE ON directory_contacts
  FOR EACH ROW EXECUTE FUNCTION directory_contact_changed();

-- One row per deleted contact (a contact deleted twice, after an id was reused, keeps its latest delete).
CREATE TABLE directory_tombstones (
  contact_id uuid PRIMARY KEY,
  change_seq bigint NOT NULL DEFAULT nextval('directory_change_seq'),
  change_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  deleted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX directory_tombstones_change_seq_idx ON directory_tombstones (change_seq);
CREATE INDEX directory_tombstones_change_xid_idx ON directory_tombstones (change_xid);

CREATE FUNCTION directory_contact_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO directory_tombstones (contact_id) VALUES (OLD.id)
  ON CONFLICT (contact_id) DO UPDATE
    SET change_seq = nextval('directory_change_seq'), change_xid = pg_current_xact_id(), deleted_at = now();
  RETURN OLD;
END $$;
CREATE TRIGGER directory_contacts_tombstone AFTER DELETE ON directory_contacts
  FOR EACH ROW EXECUTE FUNCTION directory_contact_deleted();
`;
