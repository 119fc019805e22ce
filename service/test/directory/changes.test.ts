import { deleteContact, insertContact, updateContact } from '../../src/directory/contacts';
import {
  currentChangeCursor,
  decodeCursor,
  directoryVersion,
  encodeCursor,
  readDirectoryChanges,
  START_CURSOR,
  type ChangeCursor,
  type DirectoryChange,
} from '../../src/directory/changes';
import type { Database, Queryable } from '../../src/store/types';
import { describeEachBackend, resetDatabase } from '../support/backends';
import { contactFields } from '../support/fixtures';

/** Reads pages until caught up; returns everything seen and the cursor after it. */
async function readAll(q: Queryable, from: ChangeCursor, limit = 100) {
  const seen: DirectoryChange[] = [];
  let cursor = from;
  for (let pages = 0; pages < 1000; pages += 1) {
    const page = await readDirectoryChanges(q, cursor, limit);
    seen.push(...page.changes);
    cursor = page.next;
    if (page.caughtUp) return { seen, cursor, pages: pages + 1 };
  }
  throw new Error('never caught up');
}

const add = (db: Database, lastName: string) =>
  insertContact(db, contactFields({ lastName }), 'telephony').then((c) => c.id);

/**
 * Nothing new beyond `earlier`: on real Postgres a change already reported may come again (at least once) while
 * any transaction on the server — other test files' databases included — holds the snapshot's xmin back; on PGlite
 * (one session) nothing comes again.
 */
function expectOnlyAgain(seen: DirectoryChange[], earlier: DirectoryChange[], kind: string): void {
  if (kind === 'pglite') expect(seen).toEqual([]);
  for (const change of seen) expect(earlier).toContainEqual(change);
}

describeEachBackend('directory changes', (getDb, backend) => {
  beforeEach(() => resetDatabase(getDb()));

  it('reports inserts, updates and deletes once each, in order, and nothing when nothing changed', async () => {
    const db = getDb();
    const start = await readAll(db, START_CURSOR);
    const a = await add(db, 'Ada');
    const b = await add(db, 'Bea');
    const first = await readAll(db, start.cursor);
    expect(first.seen).toEqual([
      { contactId: a, deleted: false },
      { contactId: b, deleted: false },
    ]);

    await updateContact(db, a, { title: 'Countess' });
    await deleteContact(db, b);
    const second = await readAll(db, first.cursor);
    expect(second.seen).toEqual([
      { contactId: a, deleted: false },
      { contactId: b, deleted: true },
    ]);

    const third = await readAll(db, second.cursor);
    expectOnlyAgain(third.seen, second.seen, backend.kind);
  });

  it('pages by the limit and reports a contact changed twice in a page once, as its latest change', async () => {
    const db = getDb();
    const from = (await readAll(db, START_CURSOR)).cursor;
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) ids.push(await add(db, `Person ${i}`));
    const paged = await readAll(db, from, 2);
    expect(paged.pages).toBe(4);
    expect([...new Set(paged.seen.map((c) => c.contactId))]).toEqual(ids);
    if (backend.kind === 'pglite') expect(paged.seen).toHaveLength(7);

    const before = paged.cursor;
    await updateContact(db, ids[3], { title: 'Engineer' });
    await deleteContact(db, ids[3]);
    const again = await readAll(db, before);
    const gone = { contactId: ids[3], deleted: true };
    expect(again.seen).toContainEqual(gone);
    const others = again.seen.filter((c) => c.contactId !== ids[3]);
    expectOnlyAgain(
      others,
      ids.map((contactId) => ({ contactId, deleted: false })),
      backend.kind,
    );
    expect(again.seen.filter((c) => c.contactId === ids[3])).toEqual([gone]);
  });

  it('gives every change a new directory version and keeps it while nothing changes', async () => {
    const db = getDb();
    const v0 = await directoryVersion(db);
    expect(await directoryVersion(db)).toBe(v0);
    const id = await add(db, 'Curie');
    const v1 = await directoryVersion(db);
    await updateContact(db, id, { company: 'Sorbonne' });
    const v2 = await directoryVersion(db);
    await deleteContact(db, id);
    const v3 = await directoryVersion(db);
    expect(new Set([v0, v1, v2, v3]).size).toBe(4);
    expect(await directoryVersion(db)).toBe(v3);
  });

  it('reads only later changes from a cursor taken now', async () => {
    const db = getDb();
    const before = await add(db, 'Before');
    const now = await currentChangeCursor(db);
    const later = await add(db, 'After');
    const { seen } = await readAll(db, now);
    expect(seen).toContainEqual({ contactId: later, deleted: false });
    expectOnlyAgain(
      seen.filter((c) => c.contactId !== later),
      [{ contactId: before, deleted: false }],
      backend.kind,
    );
  });

  it('round-trips a cursor as a token and refuses anything else', () => {
    const cursor = { seq: '42', horizon: '731' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const bad of ['', '42', '42-', 'x-1', '1-2-3', '-1-2', '1.5-2', '9'.repeat(21) + '-1']) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });

  // Two sessions at once: only real Postgres has them (PGlite is one session in this process).
  (backend.kind === 'postgres' ? it : it.skip)(
    'finds a change whose transaction commits after a later change was already read',
    async () => {
      const db = getDb();
      const late = await db.openSession!();
      try {
        const from = (await readAll(db, START_CURSOR)).cursor;
        // The late transaction takes its change_seq first, then stays open.
        await late.query('BEGIN');
        const { rows } = await late.query<{ id: string }>(
          "INSERT INTO directory_contacts (last_name, source) VALUES ('Late', 'telephony') RETURNING id",
        );
        const lateId = rows[0].id;
        const versionWhileOpen = await directoryVersion(db);
        const earlyId = await add(db, 'Early');

        const first = await readAll(db, from);
        expect(first.seen).toEqual([{ contactId: earlyId, deleted: false }]);
        const versionBeforeCommit = await directoryVersion(db);
        expect(versionBeforeCommit).not.toBe(versionWhileOpen);

        await late.query('COMMIT');
        const second = await readAll(db, first.cursor);
        expect(second.seen.map((c) => c.contactId)).toContain(lateId);
        // The highest change_seq did not move, yet the version did: a phone's cached book is not kept.
        expect(await directoryVersion(db)).not.toBe(versionBeforeCommit);

        // How long it keeps being re-read depends on transactions anywhere on the server (the snapshot's xmin is
        // server-wide), so only what must hold is asserted: nothing new is invented.
        const third = await readAll(db, second.cursor);
        expect(third.seen.every((c) => c.contactId === lateId || c.contactId === earlyId)).toBe(true);
      } finally {
        await late.query('ROLLBACK').catch(() => undefined);
        await late.end();
      }
    },
  );

  (backend.kind === 'postgres' ? it : it.skip)(
    'keeps the version while transactions run that write no contact, and not while one writes a contact',
    async () => {
      const db = getDb();
      await add(db, 'Stable');
      const other = await db.openSession!();
      try {
        const before = await directoryVersion(db);
        // A sync transaction writing its own tables (here: a transaction id taken, a row elsewhere): no churn.
        await other.query('BEGIN');
        await other.query('SELECT pg_current_xact_id()');
        await other.query("INSERT INTO audit_log (origin, action, rule) VALUES ('telephony', 'create', 'test')");
        expect(await directoryVersion(db)).toBe(before);
        // The same transaction writes a contact (and takes a change_seq): the version must differ until it ends.
        await other.query("UPDATE directory_contacts SET title = 'Open' WHERE last_name = 'Stable'");
        const whileWriting = await directoryVersion(db);
        expect(whileWriting).not.toBe(before);
        await other.query('ROLLBACK');
        expect(await directoryVersion(db)).toBe(before);
      } finally {
        await other.query('ROLLBACK').catch(() => undefined);
        await other.end();
      }
    },
  );
});
