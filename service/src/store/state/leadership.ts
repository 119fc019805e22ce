import type { Logger } from 'pino';
import type { Database, SessionConnection } from '../types';
import { failureLevel, isDatabaseUnavailable } from '../availability';
import { ADVISORY_LOCKS } from '../advisoryLocks';

export type Role = 'leader' | 'follower';

/** The advisory lock namespace ("SWB1"), so Switchboard's locks never meet another application's. */
const LOCK_NAMESPACE = ADVISORY_LOCKS.leadership;

export interface LeadershipOptions {
  db: Database;
  /** One election per org connection: its id names the lock. */
  orgId: string;
  logger: Logger;
  /** How often a follower tries for the lock and a leader checks its connection (default 5 s). */
  retryMs?: number;
  /** Called when this instance wins the lock; runs before the role shows 'leader' elsewhere. */
  onLeader(): Promise<void> | void;
  /** Called when the lock is lost (its connection broke); not called by stop(). */
  onFollower(): Promise<void> | void;
}

/**
 * Elects one instance per org to run the Pub/Sub subscribers (a second one would spend the org's event
 * delivery allocation twice). The leader holds a session-level Postgres advisory lock on a connection of
 * its own: if the process dies or its connection breaks, the server releases the lock with the session
 * and a follower, retrying every few seconds, takes over from the stored replay id. The leader runs a
 * query on that connection every interval too, so it notices a broken connection and stops subscribing;
 * until it does, two subscribers may briefly overlap, which costs deliveries but no correctness (events
 * are applied idempotently). PGlite is one process's private database: that process always leads.
 */
export class Leadership {
  private roleValue: Role = 'follower';
  private session: SessionConnection | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private readonly retryMs: number;

  constructor(private readonly options: LeadershipOptions) {
    this.retryMs = options.retryMs ?? 5000;
  }

  get role(): Role {
    return this.roleValue;
  }

  /** Tries once before returning (so a lone instance leads at once), then keeps trying in the background. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
  }

  /** Gives the lock up (by closing its connection). The caller stops its subscribers itself. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    const session = this.session;
    this.session = undefined;
    this.roleValue = 'follower';
    await session?.end();
  }

  private tick(): Promise<void> {
    this.running = this.running
      .then(() => this.attempt())
      .catch((err: unknown) => {
        // Retried every interval: during an outage at debug (the database logs it once), else with the error.
        this.options.logger[failureLevel(err, 'warn')](
          { err },
          'subscriber election: could not reach the database; retrying',
        );
      });
    return this.running.then(() => this.schedule());
  }

  private schedule(): void {
    if (this.stopped || !this.options.db.openSession) return;
    this.timer = setTimeout(() => void this.tick(), this.retryMs);
    this.timer.unref();
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    const { db, orgId, logger } = this.options;
    if (!db.openSession) {
      if (this.roleValue !== 'leader') await this.become('leader');
      return;
    }
    if (this.roleValue === 'leader') {
      // A leader whose connection broke lost the lock with it; the close listener has already demoted it.
      await this.session?.query('SELECT 1');
      return;
    }
    if (!this.session) {
      const session = await db.openSession();
      session.onClose((error) => void this.lost(session, error));
      this.session = session;
    }
    const { rows } = await this.session.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked',
      [LOCK_NAMESPACE, orgId],
    );
    if (rows[0]?.locked && !this.stopped) {
      logger.info({ org: orgId }, 'subscriber election: this instance runs the subscribers');
      try {
        await this.become('leader');
      } catch (err) {
        await this.abdicate();
        throw err;
      }
    }
  }

  /**
   * Starting to lead failed half-way (the database went away again while the subscribers were being
   * started): holding the lock with no subscriber running would stop the org's changes for good, so the
   * lock is given up, what started is stopped, and the next round tries again from the start.
   */
  private async abdicate(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.roleValue = 'follower';
    await Promise.resolve()
      .then(() => this.options.onFollower())
      .catch((err: unknown) =>
        this.options.logger.warn({ err }, 'subscriber election: could not stop the subscribers'),
      );
    await session?.end();
  }

  private async lost(session: SessionConnection, error?: Error): Promise<void> {
    if (this.session !== session) return;
    this.session = undefined;
    if (this.roleValue !== 'leader' || this.stopped) return;
    // An outage is expected operations: its reason is enough, a stack trace would only bury it.
    this.options.logger.warn(
      isDatabaseUnavailable(error)
        ? { reason: error?.message, org: this.options.orgId }
        : { err: error, org: this.options.orgId },
      'subscriber election: lost the lock with its connection; following',
    );
    await this.become('follower');
  }

  private async become(role: Role): Promise<void> {
    this.roleValue = role;
    if (role === 'leader') await this.options.onLeader();
    else await this.options.onFollower();
  }
}
