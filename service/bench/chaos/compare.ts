import { listContacts } from '../../src/directory/contacts';
import type { DirectoryContact } from '../../src/directory/model';
import { outboxStats } from '../../src/store/outbox/outbox';
import { findOrgLinksByContacts } from '../../src/store/state/links';
import { CHAOS_DOMAIN, type Person, type World } from './world';

/** The service's id of the one org a world connects. */
export const ORG_ID = 'primary';

/** What a comparison of both sides found, person by person (each counts in one place only). */
export interface Tally {
  /** A person missing on a side (counted once per side). */
  lost: number;
  /** Extra copies of a person on a side (records or contacts beyond the one). */
  doubled: number;
  /** Chaos records nobody made (an email the runner never used). */
  unexpected: number;
  /** Fields whose value differs between the org record and the directory contact (the link counts as one). */
  differing: number;
  /** Fields both sides agree on but not the latest change made to them: a change lost on both sides. */
  changesLost: number;
  /** Write-backs queued or under way (the sides may still move). */
  writesInFlight: number;
  /** A few examples, for the report when a figure is wrong. */
  examples: string[];
}

const same = (a: unknown, b: unknown): boolean => (a ?? '') === (b ?? '');
const digits = (phone: unknown): string => (typeof phone === 'string' ? `+${phone.replace(/\D/g, '')}` : '');

async function directoryByEmail(world: World): Promise<Map<string, DirectoryContact[]>> {
  const byEmail = new Map<string, DirectoryContact[]>();
  let after: string | undefined;
  for (;;) {
    const page = await listContacts(world.db, { limit: 1000, after });
    for (const contact of page) {
      const email = contact.email?.toLowerCase() ?? '';
      if (!email.endsWith(`@${CHAOS_DOMAIN}`)) continue;
      byEmail.set(email, [...(byEmail.get(email) ?? []), contact]);
    }
    if (page.length < 1000) return byEmail;
    after = page[page.length - 1].id;
  }
}

/** Both sides now, person by person, against the runner's expected state. */
export async function compareSides(world: World): Promise<Tally> {
  const tally: Tally = {
    lost: 0,
    doubled: 0,
    unexpected: 0,
    differing: 0,
    changesLost: 0,
    writesInFlight: 0,
    examples: [],
  };
  const note = (text: string) => {
    if (tally.examples.length < 5) tally.examples.push(text);
  };
  const org = world.orgRecordsByEmail();
  const directory = await directoryByEmail(world);
  const singles = [...directory.values()].filter((list) => list.length === 1).map((list) => list[0].id);
  const linked = new Map<string, Set<string>>();
  for (let i = 0; i < singles.length; i += 1000) {
    for (const link of await findOrgLinksByContacts(world.db, ORG_ID, singles.slice(i, i + 1000))) {
      linked.set(link.contactId, (linked.get(link.contactId) ?? new Set()).add(link.recordId));
    }
  }
  for (const email of new Set([...org.keys(), ...directory.keys()])) {
    if (!world.people.has(email)) {
      tally.unexpected++;
      note(`${email}: nobody made it`);
    }
  }
  for (const person of world.people.values()) {
    const records = org.get(person.email) ?? [];
    const contacts = directory.get(person.email) ?? [];
    if (records.length === 0 || contacts.length === 0) {
      tally.lost += (records.length === 0 ? 1 : 0) + (contacts.length === 0 ? 1 : 0);
      note(`${person.email}: ${records.length} org records, ${contacts.length} directory contacts`);
    }
    if (records.length > 1 || contacts.length > 1) {
      tally.doubled += Math.max(0, records.length - 1) + Math.max(0, contacts.length - 1);
      note(`${person.email}: ${records.length} org records, ${contacts.length} directory contacts`);
    }
    if (records.length !== 1 || contacts.length !== 1) continue;
    compareFields(person, records[0], contacts[0], linked.get(contacts[0].id), tally, note);
  }
  const stats = await outboxStats(world.db, ORG_ID);
  tally.writesInFlight = stats.pending + stats.processing;
  return tally;
}

function compareFields(
  person: Person,
  record: { id: string; fields: Record<string, unknown> },
  contact: DirectoryContact,
  links: Set<string> | undefined,
  tally: Tally,
  note: (text: string) => void,
): void {
  if (!links?.has(record.id)) {
    tally.differing++;
    note(`${person.email}: the contact is not linked to ${record.id}`);
  }
  const phone = contact.phones.find((p) => p.e164 === person.phone)?.e164 ?? contact.phones[0]?.e164;
  const pairs: Array<[string, unknown, unknown, unknown]> = [
    ['firstName', record.fields.FirstName, contact.firstName, person.firstName],
    ['lastName', record.fields.LastName, contact.lastName, person.lastName],
    ['title', record.fields.Title, contact.title, person.title],
    ['phone', digits(record.fields.Phone), phone, person.phone],
  ];
  for (const [field, sf, dir, expected] of pairs) {
    if (!same(sf, dir)) {
      tally.differing++;
      note(`${person.email} ${field}: org ${JSON.stringify(sf)}, directory ${JSON.stringify(dir)}`);
    } else if (!same(sf, expected)) {
      tally.changesLost++;
      note(`${person.email} ${field}: both ${JSON.stringify(sf)}, expected ${JSON.stringify(expected)}`);
    }
  }
}

export const problems = (t: Tally): number => t.lost + t.doubled + t.unexpected + t.differing + t.changesLost;

/**
 * Waits until both sides agree with the expected state and no write-back is in flight, polling with a
 * deadline (never a fixed sleep); returns the last comparison (wrong figures if the deadline came first).
 */
export async function settle(
  world: World,
  deadlineMs: number,
): Promise<{ tally: Tally; ms: number; settled: boolean }> {
  const started = Date.now();
  let tally: Tally | undefined;
  for (;;) {
    try {
      tally = await compareSides(world);
      if (problems(tally) === 0 && tally.writesInFlight === 0)
        return { tally, ms: Date.now() - started, settled: true };
    } catch (err) {
      // The database may be down (a trial restarts it): compare again once it answers.
      if (Date.now() - started > deadlineMs) throw err;
    }
    if (Date.now() - started > deadlineMs && tally) return { tally, ms: Date.now() - started, settled: false };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
