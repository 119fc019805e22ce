/**
 * The demo banner's device URLs (issue 14, item 5): `npm start` without Salesforce settings prints
 * `Phone book:` and `Caller ID:` lines whose key opens both doors through requireAccessKey, whose number is a
 * demo contact's (in the directory after the demo's initial sync), and each start rotates the demo key.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { DEMO_SEED } from '../../emulator/org/seed';
import { demoDeviceLines, demoDeviceUrls, type DemoDeviceUrls } from '../../../scripts/demoDevices';
import { createAccessKey } from '../../src/deviceAccess/accessKeys';
import { createDeviceAccessGuards, requireAccessKey } from '../../src/deviceAccess/requireAccessKey';
import { listAccessKeys } from '../../src/store/devices/accessKeys';
import { eventually, linkedContact, startStack, type Stack } from '../support/harness';

let stack: Stack;
let doorsUrl = '';
let doors: http.Server;
/** What the caller-ID door let through last: the number in its path. */
let calledNumber: string | undefined;

beforeAll(async () => {
  stack = await startStack({ emulator: { seed: DEMO_SEED }, initialSync: true, backend: 'pglite' });
  // The two doors the URLs go through, as the phone-book and caller-ID rooms mount them.
  const logger = pino({ level: 'silent' });
  const guards = createDeviceAccessGuards();
  const app = express();
  app.set('trust proxy', 'loopback');
  app.get(
    '/phonebook/:format',
    requireAccessKey({ db: stack.db, scope: 'phonebook', logger, failure: 'json', guards }),
    (_req, res) => void res.send('book'),
  );
  app.get(
    '/callerid/:number',
    requireAccessKey({ db: stack.db, scope: 'callerid', logger, failure: 'empty', guards }),
    (req, res) => {
      calledNumber = String(req.params.number);
      res.send('name');
    },
  );
  doors = http.createServer(app);
  await new Promise<void>((resolve) => doors.listen(0, '127.0.0.1', resolve));
  doorsUrl = `http://127.0.0.1:${(doors.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => doors?.close(resolve));
  await stack?.close();
});

/** The printed URL's path and query, asked of the doors. */
const follow = (printed: string) => {
  const url = new URL(printed);
  return request(doorsUrl).get(`${url.pathname}${url.search}`);
};

describe('the demo banner device lines', () => {
  let first: DemoDeviceUrls;

  it('print a phone-book and a caller-ID URL with one key that opens both doors', async () => {
    first = await demoDeviceUrls(stack.db, 'http://127.0.0.1:3000/', stack.emulator.org, 'US');
    const lines = demoDeviceLines(first);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Phone book: http:\/\/127\.0\.0\.1:3000\/phonebook\/yealink\?key=sbk_[\w-]{43}$/);
    expect(lines[1]).toMatch(
      /^Caller ID: {2}http:\/\/127\.0\.0\.1:3000\/callerid\/\+[1-9]\d{6,14}\?key=sbk_[\w-]{43}$/,
    );
    const keyOf = (url: string) => new URL(url).searchParams.get('key');
    expect(keyOf(first.phoneBook)).toBe(keyOf(first.callerId));
    expect((await follow(first.phoneBook)).status).toBe(200);
    const callerId = await follow(first.callerId);
    expect(callerId.status).toBe(200);
    expect(calledNumber).toBe(first.number);
  });

  it("use the number of a demo contact, which the demo's initial sync brings into the directory", async () => {
    const seeded = stack.emulator.org.store.get('Contact', first.contactId);
    expect(seeded).toBeDefined();
    expect(String(seeded?.Phone).replace(/\D/g, '')).toBe(first.number.replace(/\D/g, ''));
    const contact = await eventually(
      () => linkedContact(stack, first.contactId),
      'the demo contact in the directory',
      60_000,
    );
    expect(contact.phones.map((p) => p.e164)).toContain(first.number);
  });

  it("rotate the demo key at each start: the last start's URLs work, earlier ones stop; admins' keys stay", async () => {
    const admins = await createAccessKey(stack.db, { name: 'front desk', scopes: ['phonebook'] });
    const second = await demoDeviceUrls(stack.db, 'http://127.0.0.1:3000', stack.emulator.org, 'US');
    expect(second.phoneBook).not.toBe(first.phoneBook);
    expect((await follow(first.phoneBook)).status).toBe(401);
    const stale = await follow(first.callerId);
    expect(stale.status).toBe(401);
    expect(stale.text).toBe('');
    expect((await follow(second.phoneBook)).status).toBe(200);
    expect((await follow(second.callerId)).status).toBe(200);
    expect(
      (await listAccessKeys(stack.db)).map((k) => ({ name: k.name, live: k.revokedAt === null, id: k.id })),
    ).toEqual([
      { name: 'demo devices', live: true, id: expect.any(String) },
      { name: 'front desk', live: true, id: admins.record.id },
    ]);
    expect((await request(doorsUrl).get(`/phonebook/yealink?key=${admins.key}`)).status).toBe(200);
  });
});
