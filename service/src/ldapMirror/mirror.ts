/**
 * Mirrors the directory into an LDAP server (OpenLDAP slapd): phones search slapd, the service never answers
 * LDAP itself (ARCHITECTURE.md).
 *
 * One loop does everything, so no two writes to one entry ever race: each round it does one page of a full
 * resync when one is running, then one batch of the directory's change feed. A batch re-reads its contacts
 * (the feed says "look again", not what changed) and makes LDAP equal to them — present contacts written
 * (added, or only differing attributes replaced), absent ones deleted — and only then stores the feed's
 * cursor. A crash repeats at most one batch, and repeating one changes nothing: after any crash or restart
 * the entries equal the directory (exactly once in effect).
 *
 * A resync pages through every contact by id (its place stored after each page), then removes entries under
 * the base DN whose uid the directory no longer has. It runs on request (POST /api/v1/ldap/resync), when the
 * base DN changed, and by itself when the server lacks the base entry (a new or wiped slapd).
 *
 * When the LDAP server (or the database) cannot be reached the loop retries with backoff, logs once when the
 * outage starts and once when it ends, and never throws. Several service instances elect one mirror with a
 * Postgres advisory lock.
 */
import type { Logger } from 'pino';
import type { Database } from '../store/types';
import { isUuid } from '../store/values';
import { DatabaseUnavailableError } from '../store/availability';
import { Leadership } from '../store/state/leadership';
import {
  beginLdapResync,
  finishLdapResync,
  getLdapMirrorState,
  requestLdapResync,
  saveLdapBaseDn,
  saveLdapChangeCursor,
  saveLdapResyncProgress,
  type LdapMirrorState,
} from '../store/devices/ldapMirror';
import { decodeCursor, encodeCursor, readDirectoryChanges, START_CURSOR } from '../directory/changes';
import { getContacts, listContacts } from '../directory/contacts';
import { toLdapEntry } from './entry';
import { LdapServer, type LdapConnectionSettings, type UpsertResult } from './ldapServer';

export interface LdapMirrorOptions {
  db: Database;
  logger: Logger;
  settings: LdapConnectionSettings;
  /** Contacts per batch and per resync page (default 500). */
  batchSize?: number;
  /** Pause between feed reads once caught up, in ms (default 250). */
  pollMs?: number;
  /** Retry delays after a failure (default 500 ms doubling to 30 s). */
  backoff?: { initialMs: number; maxMs: number };
}

/** What GET /api/v1/ldap/status shows. */
export interface LdapMirrorStatus {
  enabled: true;
  /** Whether this instance runs the mirror (one instance per database does). */
  running: boolean;
  /** The last round reached LDAP and the database. */
  healthy: boolean;
  /** Why the last round failed (no secrets, no personal data), while failing. */
  lastError: string | null;
  lastErrorAt: string | null;
  resync: LdapMirrorState['resync'];
}

const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 30_000 };

export class LdapMirror {
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly leadership: Leadership;
  private server: LdapServer | undefined;
  private loop: Promise<void> | undefined;
  private stopped = true;
  private wake: (() => void) | undefined;
  /** A kick that came while a round ran: the next pause is skipped. */
  private kicked = false;
  private failing: { message: string; at: string; database: boolean } | undefined;

  constructor(private readonly options: LdapMirrorOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pollMs = options.pollMs ?? 250;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.leadership = new Leadership({
      db: options.db,
      orgId: 'ldap-mirror',
      logger: options.logger,
      onLeader: () => this.startLoop(),
      onFollower: () => this.stopLoop(),
    });
  }

  async start(): Promise<void> {
    await this.leadership.start();
  }

  async stop(): Promise<void> {
    await this.leadership.stop();
    await this.stopLoop();
  }

  /** Asks for a full resync (any instance may; the one running the mirror picks it up). */
  async requestResync(reason: string): Promise<void> {
    await getLdapMirrorState(this.options.db, encodeCursor(START_CURSOR));
    await requestLdapResync(this.options.db, reason);
    this.kick();
  }

  /** Reads the feed now instead of at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  async status(): Promise<LdapMirrorStatus> {
    const state = await getLdapMirrorState(this.options.db, encodeCursor(START_CURSOR));
    return {
      enabled: true,
      running: this.loop !== undefined,
      healthy: this.loop !== undefined && this.failing === undefined,
      lastError: this.failing?.message ?? null,
      lastErrorAt: this.failing?.at ?? null,
      resync: state.resync,
    };
  }

  private startLoop(): void {
    if (this.loop) return;
    this.stopped = false;
    this.loop = this.run();
  }

  private async stopLoop(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.loop;
    this.loop = undefined;
    await this.dropServer();
  }

  private async run(): Promise<void> {
    let delay = this.backoff.initialMs;
    while (!this.stopped) {
      try {
        const more = await this.round();
        if (this.failing) {
          if (!this.failing.database)
            this.options.logger.info('LDAP mirror: the LDAP server answers again; catching up');
          this.failing = undefined;
        }
        delay = this.backoff.initialMs;
        if (!more) await this.pause(this.pollMs);
      } catch (err) {
        await this.dropServer();
        const message = err instanceof Error ? err.message : String(err);
        // Not isDatabaseUnavailable(): it also takes a refused socket for the database, and slapd's is one too.
        const database = err instanceof DatabaseUnavailableError;
        if (database) {
          // The database logs its outage once when it starts and once when it ends (store/availability.ts).
          this.options.logger.debug({ reason: message }, 'LDAP mirror: the database is unavailable; retrying');
        } else if (!this.failing || this.failing.database) {
          // Once per outage, the reason only: a stack trace would bury it, and the round is retried anyway.
          this.options.logger.warn({ reason: message }, 'LDAP mirror: cannot write to LDAP; retrying with backoff');
        } else {
          this.options.logger.debug({ reason: message }, 'LDAP mirror: still failing');
        }
        this.failing = { message, at: new Date().toISOString(), database };
        await this.pause(delay);
        delay = Math.min(delay * 2, this.backoff.maxMs);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.kicked = false;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async dropServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  /** One round: a resync page when one runs, then a batch of the feed. True when there is more to do at once. */
  private async round(): Promise<boolean> {
    const { db, settings } = this.options;
    let state = await getLdapMirrorState(db, encodeCursor(START_CURSOR));
    this.server ??= await LdapServer.connect(settings);
    // Every round, also when nothing changed: a wiped or replaced server shows here (and a dead connection fails).
    const created = await this.server.ensureBase();
    if (created && state.changeCursor !== encodeCursor(START_CURSOR)) {
      await requestLdapResync(db, 'the LDAP server had no base entry (new or wiped)');
    }
    if (state.baseDn !== settings.baseDn) {
      if (state.baseDn !== null) await requestLdapResync(db, 'the base DN changed');
      await saveLdapBaseDn(db, settings.baseDn);
    }
    state = await getLdapMirrorState(db, encodeCursor(START_CURSOR));
    if (state.resync.state === 'pending') {
      await beginLdapResync(db);
      this.options.logger.info({ reason: state.resync.reason }, 'LDAP mirror: full resync started');
      state = await getLdapMirrorState(db, encodeCursor(START_CURSOR));
    }
    const resyncing = state.resync.state === 'running' ? await this.resyncStep(state) : false;
    const feedMore = await this.feedBatch(state.changeCursor);
    return resyncing || feedMore;
  }

  private async feedBatch(token: string): Promise<boolean> {
    const { db, settings } = this.options;
    const server = this.server as LdapServer;
    const cursor = decodeCursor(token) ?? START_CURSOR;
    const { changes, next, caughtUp } = await readDirectoryChanges(db, cursor, this.batchSize);
    if (changes.length > 0) {
      const ids = changes.map((c) => c.contactId);
      const contacts = await getContacts(db, ids);
      const present = new Set(contacts.map((c) => c.id));
      this.reportRefused(await server.upsert(contacts.map((c) => toLdapEntry(c, settings.baseDn))));
      await server.remove(ids.filter((id) => !present.has(id)));
    }
    const nextToken = encodeCursor(next);
    if (nextToken !== token) await saveLdapChangeCursor(db, nextToken);
    return !caughtUp;
  }

  /**
   * An entry slapd refused for its content stays out of LDAP until the contact changes again (or a resync): a
   * warning per contact, by id only (no names or numbers in logs).
   */
  private reportRefused(result: UpsertResult): void {
    for (const { uid, reason } of result.refused) {
      this.options.logger.warn(
        { contactId: uid, reason },
        "LDAP mirror: the LDAP server refused this contact's entry; skipped",
      );
    }
  }

  /** One page of the resync; true while it is not finished. */
  private async resyncStep(state: LdapMirrorState): Promise<boolean> {
    const { db, settings, logger } = this.options;
    const server = this.server as LdapServer;
    if (state.resync.phase !== 'sweep') {
      const page = await listContacts(db, { limit: this.batchSize, after: state.resync.after ?? undefined });
      const { written, refused } = await server.upsert(page.map((c) => toLdapEntry(c, settings.baseDn)));
      this.reportRefused({ written, refused });
      const last = page.at(-1)?.id ?? state.resync.after;
      const done = page.length < this.batchSize;
      await saveLdapResyncProgress(db, { phase: done ? 'sweep' : 'entries', after: last, written, removed: 0 });
      return true;
    }
    // The sweep: entries whose contact is gone. Deleting is idempotent, so after a restart it simply runs again.
    const uids = await server.listUids();
    let removed = 0;
    for (let i = 0; i < uids.length; i += 1000) {
      const chunk = uids.slice(i, i + 1000);
      const present = new Set((await getContacts(db, chunk)).map((c) => c.id));
      // Only the mirror's own entries (named by a contact id): anything else under the base DN is left alone.
      removed += await server.remove(chunk.filter((uid) => isUuid(uid) && !present.has(uid)));
    }
    await saveLdapResyncProgress(db, { phase: 'sweep', after: null, written: 0, removed });
    await finishLdapResync(db);
    const after = await getLdapMirrorState(db, encodeCursor(START_CURSOR));
    logger.info({ written: after.resync.written, removed: after.resync.removed }, 'LDAP mirror: full resync finished');
    return false;
  }
}
