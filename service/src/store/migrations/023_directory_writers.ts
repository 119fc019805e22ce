/**
 * Marks the transactions that write the directory, so a phone book's ETag (directory/changes.ts
 * directoryVersion) waits only for those. The version must account for a writer still running (it may commit a
 * change_seq below one already visible), but counting every running transaction made it differ whenever the
 * sync wrote anything at all (outbox rows, positions, audit), so phones refreshing during a busy sync got the
 * whole book again instead of a 304.
 *
 * A statement trigger takes a shared advisory lock ("SWB6", key 0) before any row of the statement is written,
 * hence before the statement takes a change_seq, and holds it until the transaction ends. Shared: writers never
 * wait for each other; nothing takes it exclusively. Every path that writes contacts (API, sync, bulk loads,
 * COPY) passes the trigger, as with migration 017's change order.
 */
export const name = 'directory_writers';

export const sql = `
CREATE FUNCTION directory_writer_marked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(1398227510, 0);
  RETURN NULL;
END $$;
CREATE TRIGGER directory_contacts_writer BEFORE INSERT OR UPDATE OR DELETE ON directory_contacts
  FOR EACH STATEMENT EXECUTE FUNCTION directory_writer_marked();
`;
