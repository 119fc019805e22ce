import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { createAccessKey } from '../../src/deviceAccess/accessKeys';
import { requireAccessKey } from '../../src/deviceAccess/requireAccessKey';
import { phoneBookRouter } from '../../src/phonebook/feedRoute';
import type { Queryable } from '../../src/store/types';
import { describeEachBackend, resetDatabase } from '../support/backends';
import { eventually } from '../support/harness';

/**
 * The feed streams: the first bytes reach the phone while the database has not yet answered for the last
 * contacts, and an unchanged book is answered 304 without one query for contacts. A spy between the route and
 * the database sees every statement and can hold one back (a gate the test opens), so nothing here depends on
 * timing: the test waits for bytes while the gate is shut; a route that built the body first would never send any.
 */
const CONTACTS = 1_200;
const PAGE = 500;

interface Spy extends Queryable {
  texts: string[];
  /** Resolves when the page query numbered `n` (1-based) has started and is being held. */
  held(n: number): Promise<void>;
  open(): void;
}

function spyOn(db: Queryable, holdPage: number): Spy {
  const texts: string[] = [];
  let pages = 0;
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  let reached!: () => void;
  const heldPage = new Promise<void>((resolve) => (reached = resolve));
  return {
    texts,
    held: () => heldPage,
    open: () => openGate(),
    async query<R extends object>(text: string, params?: unknown[]) {
      texts.push(text);
      if (/ORDER BY c\.book_name_(lf|fl), c\.id/.test(text)) {
        pages += 1;
        if (pages === holdPage) {
          reached();
          await gate;
        }
      }
      return db.query<R>(text, params);
    },
  };
}

async function seedMany(db: Queryable): Promise<void> {
  await db.query(
    `WITH c AS (
       INSERT INTO directory_contacts (first_name, last_name, source)
       SELECT 'First' || n, 'Last' || lpad(n::text, 5, '0'), 'telephony' FROM generate_series(1, ${CONTACTS}) n
       RETURNING id)
     INSERT INTO directory_phones (contact_id, kind, raw, e164, position)
     SELECT id, 'work', '+1 415 555 0100', '+14155550100', 0 FROM c`,
  );
}

function listen(app: express.Express): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(app);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })),
  );
}

describeEachBackend('phone-book streaming', (getDb) => {
  beforeEach(() => resetDatabase(getDb()));

  async function serve(spy: Spy) {
    const logger = pino({ level: 'silent' });
    const app = express();
    app.use(
      phoneBookRouter({
        db: spy,
        logger,
        publicUrl: 'http://127.0.0.1',
        defaultCountry: 'US',
        pageSize: PAGE,
        authenticate: requireAccessKey({ db: getDb(), scope: 'phonebook', logger, failure: 'json' }),
      }),
    );
    return listen(app);
  }

  it('sends the first bytes before the last contacts are read', async () => {
    await seedMany(getDb());
    const { key } = await createAccessKey(getDb(), { name: 'phones', scopes: ['phonebook'] });
    const spy = spyOn(getDb(), 3); // pages of 500: the third holds the last 200 contacts
    const { server, port } = await serve(spy);
    try {
      const chunks: Buffer[] = [];
      let bytesWhileHeld = 0;
      let gateOpen = false;
      const done = new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: `/phonebook/yealink?key=${key}` }, (res) => {
            res.on('data', (chunk: Buffer) => {
              chunks.push(chunk);
              if (!gateOpen) {
                bytesWhileHeld += chunk.length;
                // Bytes arrived while the last page's query is held: open the gate and let the book finish.
                void spy.held(3).then(() => {
                  gateOpen = true;
                  spy.open();
                });
              }
            });
            res.on('end', () => resolve(res.statusCode ?? 0));
            res.on('error', reject);
          })
          .on('error', reject);
      });
      expect(await done).toBe(200);
      expect(bytesWhileHeld).toBeGreaterThan(0);
      const body = Buffer.concat(chunks).toString('utf8');
      expect(body.match(/<DirectoryEntry>/g)).toHaveLength(CONTACTS);
      expect(body.trimEnd().endsWith('</YealinkIPPhoneDirectory>')).toBe(true);
    } finally {
      spy.open();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers an unchanged book 304 without reading a single contact', async () => {
    await seedMany(getDb());
    const { key } = await createAccessKey(getDb(), { name: 'phones', scopes: ['phonebook'] });
    const spy = spyOn(getDb(), 0);
    const { server, port } = await serve(spy);
    try {
      const base = `http://127.0.0.1:${port}/phonebook/yealink?key=${key}`;
      // The first use of a key records when it was used, in a write of its own beside the request; a write running
      // while the directory's version is read is part of that version. Wait for it, so both requests see the same.
      await (await fetch(base)).text();
      await eventually(async () => {
        const { rows } = await getDb().query<{ used: boolean }>(
          'SELECT last_used_at IS NOT NULL AS used FROM access_keys',
        );
        return rows[0]?.used === true ? true : undefined;
      }, "the key's last use recorded");
      const first = await fetch(base);
      await first.text();
      const etag = first.headers.get('etag') as string;
      spy.texts.length = 0;
      const again = await fetch(base, { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(spy.texts.length).toBeGreaterThan(0); // the directory's version was asked for
      expect(spy.texts.filter((t) => /directory_phones|book_name_|count\(\*\)/.test(t))).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
