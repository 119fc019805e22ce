/** Shared by the LDAP mirror's tests: a quiet or recording logger, contacts to insert, and reading slapd back. */
import pino, { type Logger } from 'pino';
import { Writable } from 'node:stream';
import type { ContactFields, DirectoryPhone } from '../../src/directory/model';
import { parseLdif, type Slapd } from '../support/slapd';

export const BASE_DN = 'ou=phonebook,dc=example,dc=com';

/** A logger whose lines (parsed JSON) the test can read. */
export function recordingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export function phone(kind: DirectoryPhone['kind'], raw: string, e164: string | null): DirectoryPhone {
  return { kind, raw, e164, extension: null };
}

/** People whose names and numbers exercise the phones' filters (umlauts, ordering, number formats). */
export const PEOPLE: ContactFields[] = [
  {
    firstName: 'Jürgen',
    lastName: 'Müller',
    company: 'Bäckerei Groß',
    title: 'Meister',
    email: 'juergen@baeckerei.example',
    phones: [phone('work', '030 1234567', '+49301234567'), phone('mobile', '0171 2345678', '+491712345678')],
  },
  {
    firstName: 'Anna',
    lastName: 'Mülheim',
    company: 'Acme',
    phones: [phone('home', '089 7654321', '+49897654321')],
  },
  {
    firstName: 'Ryan',
    lastName: 'Adams',
    company: 'Acme',
    phones: [phone('work', '(415) 555-2671', '+14155552671')],
  },
  {
    firstName: 'Zoë',
    lastName: 'Zimmermann',
    phones: [phone('other', '040 555 0100', '+494055500100')],
  },
  { firstName: 'Bob', lastName: 'Brown', phones: [phone('mobile', '+44 7700 900123', '+447700900123')] },
];

/** The mirrored entries under BASE_DN by uid, attribute names as the server spells them. */
export async function entriesByUid(slapd: Slapd): Promise<Map<string, Record<string, string[]>>> {
  const text = await slapd.ldapsearch(['-b', BASE_DN, '-s', 'one', '(uid=*)', '*', 'modifyTimestamp']);
  return new Map(parseLdif(text).map((e) => [e.attributes.uid[0], e.attributes]));
}

/** uids of the entries a search returns. */
export async function uidsOf(slapd: Slapd, args: string[]): Promise<string[]> {
  return parseLdif(await slapd.ldapsearch([...args, 'uid']))
    .map((e) => e.attributes.uid?.[0])
    .filter((u): u is string => u !== undefined)
    .sort();
}
