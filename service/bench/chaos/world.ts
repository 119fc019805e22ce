import { join } from 'node:path';
import type { Config } from '../../src/config';
import { openDatabase } from '../../src/store/db';
import type { Database } from '../../src/store/types';
import { findContactIdsByEmail, getContact } from '../../src/directory/contacts';
import { startEmulator, type EmulatorHandle } from '../../emulator/index';
import { EMPTY_SEED } from '../../emulator/org/seed';
import { serviceConfigFor } from '../../emulator/serviceConfig';
import type { DatabaseServer } from './database';
import { ServiceProcess } from './serviceLauncher';

/** The domain every chaos person's email is in: the comparison looks at these and nothing else (not users). */
export const CHAOS_DOMAIN = 'chaos.example';

/** What a person should look like on both sides once everything settled: the trials' expected state. */
export interface Person {
  /** The key: unique per person and never edited. */
  email: string;
  firstName: string;
  lastName: string;
  title: string;
  /** E.164; each person has a number of their own, so nobody joins anybody else. */
  phone: string;
}

export type Rand = () => number;

/** A 10-digit NANP number of its own for person n (area codes 201.. keep numbers valid and distinct). */
function phoneOf(n: number): { e164: string; typed: string } {
  const area = 201 + Math.floor(n / 10_000);
  const line = String(n % 10_000).padStart(4, '0');
  return { e164: `+1${area}555${line}`, typed: `+1 ${area} 555 ${line}` };
}

export interface WorldOptions {
  server: DatabaseServer;
  dir: string;
  /** Contacts the org holds before the service first starts (the initial sync's work). */
  records: number;
  initialSyncPageSize: number;
  /** Write-back batch size: small batches spread a write-back over many requests a kill can fall between. */
  writebackBatchSize: number;
}

/**
 * One trial's world: an emulated org in this process (so the runner reads and edits it directly), a
 * database of its own on the trial's server, and the service as a child process connected to both.
 */
export class World {
  readonly people = new Map<string, Person>();
  /** The org record of each person made in the org (telephony-born ones are found by email). */
  readonly recordIds = new Map<string, string>();
  readonly service: ServiceProcess;
  private nextPerson = 0;
  private readonly uncertainCreates: Person[] = [];
  private readonly uncertainEdits: Array<{ email: string; fields: Partial<Pick<Person, 'firstName' | 'title'>> }> = [];

  private constructor(
    readonly emulator: EmulatorHandle,
    /** The runner's own connection to the service's database (reads only). */
    readonly db: Database,
    readonly databaseUrl: string,
    private readonly dropDatabase: () => Promise<void>,
    config: Config,
    options: WorldOptions,
  ) {
    this.service = new ServiceProcess({ config, initialSyncPageSize: options.initialSyncPageSize });
  }

  static async create(options: WorldOptions, index: number): Promise<World> {
    const emulator = await startEmulator({
      certDir: join(options.dir, 'certs'),
      seed: EMPTY_SEED,
      personAccounts: false,
      // The subscriber stores the position the server reports in keepalives: a short period lets a
      // trial's restart find one without waiting minutes (the platform's is 270 s).
      keepaliveMs: 500,
    });
    const scratch = await options.server.scratch();
    const config: Config = {
      ...serviceConfigFor(emulator, join(options.dir, `data-${index}`), 'Chaos org'),
      databaseUrl: scratch.url,
      writeback: { batchSize: options.writebackBatchSize, intervalMs: 100 },
    };
    const db = await openDatabase({ databaseUrl: scratch.url });
    const world = new World(emulator, db, scratch.url, scratch.drop, config, options);
    world.quietContacts(options.records);
    return world;
  }

  /** A new person's fields (not yet anywhere). */
  newPerson(): Person {
    const n = this.nextPerson++;
    return {
      email: `p${String(n).padStart(6, '0')}@${CHAOS_DOMAIN}`,
      firstName: `Chaos${n}`,
      lastName: `Person ${n}`,
      title: 'Original',
      phone: phoneOf(n).e164,
    };
  }

  typedPhone(person: Person): string {
    const n = Number(person.email.slice(1, 7));
    return phoneOf(n).typed;
  }

  /** Contacts made in the org by the integration user (no events): they arrive through the initial sync. */
  quietContacts(count: number): void {
    const rows: Array<Record<string, unknown>> = [];
    for (let i = 0; i < count; i++) {
      const person = this.newPerson();
      this.people.set(person.email, person);
      rows.push(this.sfFields(person));
    }
    const { store, integrationUser } = this.emulator.org;
    for (let i = 0; i < rows.length; i += 2000) {
      const results = store.insert('Contact', rows.slice(i, i + 2000), integrationUser);
      const bad = results.find((r) => !r.success);
      if (bad) throw new Error(`seeding the org failed: ${JSON.stringify(bad.errors)}`);
      results.forEach((r, j) => this.recordIds.set(String(rows[i + j].Email), String(r.id)));
    }
  }

  /**
   * A person made on the phone side (POST /contacts). Expected only once the service answered 201: a
   * create whose answer never came (the process was killed) may or may not exist, so it is not sent.
   */
  async telephonyCreate(): Promise<boolean> {
    const person = this.newPerson();
    const res = await this.service.api('POST', '/contacts', {
      firstName: person.firstName,
      lastName: person.lastName,
      title: person.title,
      email: person.email,
      phones: [{ kind: 'work', number: this.typedPhone(person) }],
    });
    if (res === undefined) this.uncertainCreates.push(person);
    if (res?.status !== 201) return false;
    this.people.set(person.email, person);
    return true;
  }

  /**
   * Requests that got no answer (the process died under them) may or may not have been committed; once the
   * service is back, the directory says which, as a client that looks before it retries would find out.
   * Either way both sides must then agree, once.
   */
  async resolveUncertain(): Promise<void> {
    for (const person of this.uncertainCreates.splice(0)) {
      if ((await findContactIdsByEmail(this.db, person.email)).length > 0) this.people.set(person.email, person);
    }
    for (const { email, fields } of this.uncertainEdits.splice(0)) {
      const [contactId] = await findContactIdsByEmail(this.db, email);
      const contact = contactId ? await getContact(this.db, contactId) : null;
      const committed = Object.entries(fields).every(
        ([key, value]) => contact?.[key as 'firstName' | 'title'] === value,
      );
      if (committed) Object.assign(this.people.get(email)!, fields);
    }
  }

  /** A phone-side edit (PATCH); expected only once answered 200. */
  async telephonyEdit(email: string, fields: Partial<Pick<Person, 'firstName' | 'title'>>): Promise<boolean> {
    const [contactId] = await findContactIdsByEmail(this.db, email);
    if (!contactId) return false;
    const res = await this.service.api('PATCH', `/contacts/${contactId}`, fields);
    if (res === undefined) this.uncertainEdits.push({ email, fields });
    if (res?.status !== 200) return false;
    Object.assign(this.people.get(email)!, fields);
    return true;
  }

  sfFields(person: Person): Record<string, unknown> {
    return {
      FirstName: person.firstName,
      LastName: person.lastName,
      Title: person.title,
      Email: person.email,
      Phone: this.typedPhone(person),
    };
  }

  /** Org records (Contacts and Leads) by their email, of chaos people only. */
  orgRecordsByEmail(): Map<string, Array<{ id: string; fields: Record<string, unknown> }>> {
    const byEmail = new Map<string, Array<{ id: string; fields: Record<string, unknown> }>>();
    for (const sobject of ['Contact', 'Lead'] as const) {
      for (const record of this.emulator.org.store.scan(sobject)) {
        const email = typeof record.Email === 'string' ? record.Email.toLowerCase() : '';
        if (!email.endsWith(`@${CHAOS_DOMAIN}`)) continue;
        const list = byEmail.get(email) ?? [];
        list.push({ id: String(record.Id), fields: record });
        byEmail.set(email, list);
      }
    }
    return byEmail;
  }

  /** The record id of a person's one org record, or undefined when there is not exactly one. */
  recordIdOf(email: string): string | undefined {
    const records = this.orgRecordsByEmail().get(email);
    return records?.length === 1 ? records[0].id : undefined;
  }

  /** An edit "by a person in the Salesforce UI" (the admin user, so the emulated trigger publishes an event). */
  salesforceEdit(email: string, fields: Partial<Pick<Person, 'firstName' | 'title'>>, recordId: string): void {
    const person = this.people.get(email)!;
    const row: Record<string, unknown> = { Id: recordId };
    if (fields.firstName !== undefined) row.FirstName = fields.firstName;
    if (fields.title !== undefined) row.Title = fields.title;
    const { store, adminUser } = this.emulator.org;
    const sobject = store.sobjectOfId(recordId) ?? 'Contact';
    const [result] = store.update(sobject, [row], adminUser);
    if (!result.success) throw new Error(`edit of ${recordId} failed: ${JSON.stringify(result.errors)}`);
    Object.assign(person, fields);
  }

  async close(): Promise<void> {
    await this.service.kill9();
    await this.emulator.close();
    await this.db.close();
    await this.dropDatabase();
  }
}
