/**
 * A telephony edit's write-back is on its way (claimed, maybe sent) when a Salesforce edit of the same
 * field arrives and wins the conflict. Whatever happens to the write afterwards — it lands after the
 * Salesforce edit, or its worker dies and the row is taken back and sent again — Salesforce and the
 * directory must end with the winner's value. (Found by the chaos trials: a cluster restart between
 * send and settle re-sent the old value over the newer Salesforce edit.)
 */
import pino from 'pino';
import {
  eventually,
  flushEvents,
  linkedContact,
  linkedContactId,
  runtimeOf,
  startStack,
  uiCreate,
  uiUpdate,
  type Stack,
} from '../../support/harness';
import {
  listOutbox,
  retryWritesNow,
  startClaimant,
  type Claimant,
  type OutboxItem,
} from '../../../src/store/outbox/outbox';
import { WriteBackWorker, type RecordWriter } from '../../../src/sync/outbound/writeBack';
import { JsforceRecordWriter } from '../../../src/salesforce/records';
import type { Connection } from 'jsforce';
import { DatabaseUnavailableError } from '../../../src/store/availability';
import type { Database, Queryable } from '../../../src/store/types';

const ORG = 'primary';
const silent = pino({ level: 'silent' });

/**
 * The writer's updates reach the org only when `open` is called (`waiting` resolves once one waits);
 * once the org has them, the answer comes back after `afterLanding` — never, for a dying process.
 */
function gatedUpdates(real: RecordWriter, afterLanding: () => Promise<void>) {
  let reached!: () => void;
  let open!: () => void;
  const waiting = new Promise<void>((resolve) => (reached = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  const writer = Object.assign(Object.create(real) as RecordWriter, {
    async update(...args: Parameters<RecordWriter['update']>) {
      reached();
      await gate;
      const outcomes = await real.update(...args);
      await afterLanding();
      return outcomes;
    },
  });
  return { writer, waiting, open };
}

const never = () => new Promise<never>(() => undefined);

/** The database as one worker sees it: while `down.now` is set, every statement fails as in an outage. */
function interrupted(db: Database, down: { now: boolean }): Database {
  const check = () => {
    if (down.now) throw new DatabaseUnavailableError(new Error('Connection terminated unexpectedly'));
  };
  const guarded = (q: Queryable): Queryable => ({
    query: async (text, params) => {
      check();
      return q.query(text, params);
    },
  });
  return {
    ...db,
    query: guarded(db).query,
    transaction: async (fn) => {
      check();
      return db.transaction((tx) => fn(guarded(tx)));
    },
  };
}

describe('write-back: a Salesforce edit wins over a write already on its way', () => {
  let stack: Stack;
  let conn: Connection;
  let people = 0;

  beforeAll(async () => {
    stack = await startStack();
    conn = runtimeOf(stack).session.conn;
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** A write-back worker of its own (the service's is stopped), on `db` (default: the stack's). */
  function worker(records: RecordWriter, claimant?: Claimant, db: Database = stack.db): WriteBackWorker {
    const { settings } = runtimeOf(stack);
    return new WriteBackWorker({
      db,
      orgId: ORG,
      records,
      settings,
      logger: silent,
      batchSize: 200,
      intervalMs: 50,
      claimant,
    });
  }

  const title = (id: string) => stack.emulator.org.store.get('Contact', id)?.Title;
  const rowsOf = async (id: string): Promise<OutboxItem[]> =>
    (await listOutbox(stack.db, { orgId: ORG, limit: 1000 })).filter((r) => r.recordId === id);

  /** A linked Contact whose title the phone side edits while the service's own worker is stopped. */
  async function phoneEdited(): Promise<{ id: string; contactId: string }> {
    const n = String(people++).padStart(4, '0');
    const id = uiCreate(stack, 'Contact', { LastName: `Raced ${n}`, Title: 'Original', Phone: `+1 303 555 ${n}` });
    const contactId = await linkedContactId(stack, id);
    await runtimeOf(stack).writeBack.stop();
    expect((await stack.api('PATCH', `/contacts/${contactId}`, { title: 'Phone title' })).status).toBe(200);
    expect((await rowsOf(id)).map((r) => [r.state, r.payload])).toEqual([['pending', { Title: 'Phone title' }]]);
    return { id, contactId };
  }

  /** Both sides hold `value`, and no write to the record is left. */
  async function expectSettledOn(id: string, value: string): Promise<void> {
    runtimeOf(stack).writeBack.start();
    await eventually(
      async () => (await rowsOf(id)).every((r) => r.state === 'done') || undefined,
      'every write to the record to settle',
    );
    await flushEvents(stack);
    expect(title(id)).toBe(value);
    expect((await linkedContact(stack, id))?.title).toBe(value);
  }

  it('a write whose worker died after sending is not sent again over the winning Salesforce edit', async () => {
    const { id, contactId } = await phoneEdited();
    const claimant = await startClaimant(stack.db);
    const dying = gatedUpdates(new JsforceRecordWriter(conn), never);
    void worker(dying.writer, claimant).drainOnce();
    await dying.waiting;
    dying.open();
    await eventually(() => title(id) === 'Phone title' || undefined, 'the write to land in the org');

    // After it landed, a person changes the title in Salesforce; Salesforce wins the conflict.
    uiUpdate(stack, 'Contact', id, { Title: 'Salesforce title' });
    await eventually(
      async () => (await linkedContact(stack, id))?.title === 'Salesforce title' || undefined,
      'the Salesforce edit to reach the directory',
    );
    expect((await stack.api('GET', `/contacts/${contactId}`)).body.title).toBe('Salesforce title');

    // The worker's process dies with the row claimed; a live worker takes the row back.
    await claimant.end();
    await expectSettledOn(id, 'Salesforce title');
  });

  it('a write that lands after the winning Salesforce edit is followed by the winner’s value', async () => {
    const { id } = await phoneEdited();
    const late = gatedUpdates(new JsforceRecordWriter(conn), async () => undefined);
    const round = worker(late.writer).drainOnce();
    await late.waiting;

    // The person's edit arrives and wins while the write waits to reach the org …
    uiUpdate(stack, 'Contact', id, { Title: 'Salesforce title' });
    await eventually(
      async () => (await linkedContact(stack, id))?.title === 'Salesforce title' || undefined,
      'the Salesforce edit to reach the directory',
    );
    // … and then the write lands on top of it and settles.
    late.open();
    await round;
    expect(title(id)).toBe('Phone title');
    await expectSettledOn(id, 'Salesforce title');
  });

  it('a settle cut off by a database outage is recorded once it is back: the write is not sent again', async () => {
    const { id } = await phoneEdited();
    const down = { now: false };
    let sent = 0;
    const real = new JsforceRecordWriter(conn);
    const writer = Object.assign(Object.create(real) as RecordWriter, {
      async update(...args: Parameters<RecordWriter['update']>) {
        sent++;
        const outcomes = await real.update(...args);
        down.now = true; // Salesforce answered; the database goes away before the answer is recorded.
        return outcomes;
      },
    });
    const cut = worker(writer, undefined, interrupted(stack.db, down));
    const round = cut.drainOnce();
    await eventually(() => down.now || undefined, 'the write to be answered');

    // Meanwhile a person edits the title in Salesforce, and Salesforce wins.
    uiUpdate(stack, 'Contact', id, { Title: 'Salesforce title' });
    await eventually(
      async () => (await linkedContact(stack, id))?.title === 'Salesforce title' || undefined,
      'the Salesforce edit to reach the directory',
    );
    down.now = false;
    expect((await round).written).toBe(1);
    expect(sent).toBe(1);
    await cut.stop();
    await expectSettledOn(id, 'Salesforce title');
    expect(sent).toBe(1);
  });

  it('a write is not sent over a Salesforce edit made since its base, even before that edit’s event is applied', async () => {
    const { id } = await phoneEdited();
    // The service is down: the person's edit waits on the bus while another instance's worker sends the
    // write. The service comes back and replays the backlog.
    await stack.stopService();
    uiUpdate(stack, 'Contact', id, { Title: 'Salesforce title' });
    const other = worker(new JsforceRecordWriter(conn));
    const round = await other.drainOnce();
    await other.stop();
    expect([round.claimed, round.calls]).toEqual([1, 0]);
    expect(title(id)).toBe('Salesforce title');
    // The edit's event decides by the conflict rules: Salesforce wins here.
    await stack.startServiceAgain();
    await expectSettledOn(id, 'Salesforce title');
  });

  it('rows a round claimed but could not send (the database went away) go back to the queue at once', async () => {
    const { id } = await phoneEdited();
    const down = { now: false };
    let cut = false;
    const real = new JsforceRecordWriter(conn);
    const writer = Object.assign(Object.create(real) as RecordWriter, {
      async currentValues(...args: Parameters<NonNullable<RecordWriter['currentValues']>>) {
        const values = await real.currentValues(...args);
        // The first time, the database goes away after the claim, before anything is sent.
        if (!cut) down.now = cut = true;
        return values;
      },
    });
    const own = worker(writer, undefined, interrupted(stack.db, down));
    await expect(own.drainOnce()).rejects.toThrow(DatabaseUnavailableError);
    down.now = false;
    // Its lock lived on, so nobody else takes the row before its two-minute lease: the worker gives it back.
    expect((await own.drainOnce()).written).toBe(1);
    await own.stop();
    expect(title(id)).toBe('Phone title');
    await expectSettledOn(id, 'Phone title');
  });

  it('an earlier attempt that landed with its answer lost is not taken for a person’s edit', async () => {
    const { id, contactId } = await phoneEdited();
    const real = new JsforceRecordWriter(conn);
    let lose = true;
    const writer = Object.assign(Object.create(real) as RecordWriter, {
      async update(...args: Parameters<RecordWriter['update']>) {
        const outcomes = await real.update(...args);
        if (!lose) return outcomes;
        lose = false;
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      },
    });
    const own = worker(writer);
    expect((await own.drainOnce()).retried).toBe(1);
    expect(title(id)).toBe('Phone title');
    await retryWritesNow(stack.db, ORG, [id]);
    expect((await own.drainOnce()).written).toBe(1);
    // A later phone-side edit is based on the value that landed, and goes through.
    expect((await stack.api('PATCH', `/contacts/${contactId}`, { title: 'Second phone title' })).status).toBe(200);
    expect((await own.drainOnce()).written).toBe(1);
    await own.stop();
    expect(title(id)).toBe('Second phone title');
    await expectSettledOn(id, 'Second phone title');
  });
});
