import type { Logger } from 'pino';
import type { Database } from '../store/types';
import { orgPause, setOrgPause, type OrgPause } from '../store/state/orgs';
import { heldOutboxDeletes } from '../store/outbox/heldOutboxDeletes';
import type { ChangeSubscriber } from '../salesforce/pubsub/subscriber';
import type { Leadership } from '../store/state/leadership';
import type { OrgSyncSettings } from '../sync/rules/context';
import type { ReconcileScheduler } from '../sync/reconcile/reconcileScheduler';
import type { StatusReporter } from './status/statusReporter';
import type { WriteBackWorker } from '../sync/outbound/writeBack';
import { decideHeldDeletes } from '../sync/inbound/deletes';
import { heldSummary } from '../store/state/heldDeletes';
import { decideQueuedDeletes } from '../sync/outbound/telephonyDeleteGuard';

/** Deletes the mass-deletion guard holds until an admin resumes (applies) or discards them. */
export interface HeldDeletes {
  deletes: number;
  reason: string;
}

/** What a pause stops and a resume starts again, and where the org hears of it. */
export interface PausableWork {
  readonly reconciler: Pick<ReconcileScheduler, 'start' | 'suspend'>;
  readonly subscriber: Pick<ChangeSubscriber, 'start' | 'stop'>;
  readonly writeBack: Pick<WriteBackWorker, 'start' | 'stop'>;
  readonly leadership: Pick<Leadership, 'role'>;
  readonly reporter: Pick<StatusReporter, 'flush'>;
}

export interface PauseControlOptions {
  db: Database;
  orgId: string;
  settings: OrgSyncSettings;
  logger: Logger;
  work: PausableWork;
}

/**
 * One org's pause, and the mass-deletion guard's held deletes that cause one. The pause is shared by
 * every instance through the database (orgs.ts): this instance records its own and follows the others'.
 */
export class PauseControl {
  private isPaused = false;
  private heldDeletes: HeldDeletes | null = null;
  /** A pause under way: a hold meanwhile reports its count once the pause has reported its own. */
  private pausing: Promise<void> | null = null;
  /** Counts this instance's own pause and resume steps (see generation). */
  private changes = 0;
  /** This instance's own pauses and resumes whose shared flag is being written. */
  private writing = 0;

  constructor(private readonly options: PauseControlOptions) {}

  /** Whether this instance holds off applying, writing back and reconciling. */
  get paused(): boolean {
    return this.isPaused;
  }

  /** As last read: at start, after a hold or decision, or when following another instance. */
  get held(): HeldDeletes | null {
    return this.heldDeletes;
  }

  /**
   * Moves on when this instance pauses or resumes — when it begins, and again once the shared flag is
   * written. A shared state read while it was another number is out of date, and one read while this
   * instance's write is under way may be: follow() ignores both (a look at the database that raced this
   * instance's own pause or resume would otherwise undo it).
   */
  get generation(): number {
    return this.changes;
  }

  /** At start: paused when another instance recorded a pause, or when the org's sync record says so. */
  async adopt(shared: OrgPause | null, pausedByOrg: boolean): Promise<void> {
    this.isPaused = shared !== null || pausedByOrg;
    // From here on the shared flag is the one truth every instance follows (otherInstancesWatch.ts).
    if (this.isPaused && !shared) await setOrgPause(this.options.db, this.options.orgId, { reason: null });
  }

  /** Reads the pause again (on taking over the subscribers): by the org's sync record, or another instance's. */
  async reread(pausedByOrg: boolean): Promise<void> {
    this.isPaused = pausedByOrg || (await orgPause(this.options.db, this.options.orgId)) !== null;
    this.changes++;
  }

  /**
   * Stops applying changes, writing back and reconciling; the replay position and the outbox wait for
   * resume. `reason` (the mass-deletion guard's) is reported to the org as the sync's last error.
   */
  async pause(reason?: string): Promise<void> {
    this.isPaused = true;
    const pausing = (async () => {
      await this.writeShared({ reason: reason ?? null });
      await this.stopWork();
      await this.options.work.reporter.flush(reason);
    })();
    this.pausing = pausing;
    try {
      await pausing;
    } finally {
      if (this.pausing === pausing) this.pausing = null;
    }
  }

  /** Resuming is the admin's approval of held deletes: they are applied before anything else runs. */
  async resume(): Promise<void> {
    if (this.heldDeletes) await this.decide(true);
    this.isPaused = false;
    await this.writeShared(null);
    this.startWork();
    // Status__c follows from the state: Active, or InitialSync while the initial sync has not finished.
    await this.options.work.reporter.flush();
  }

  /** The sync was deleted: paused for good, with nothing left held (its records are forgotten). */
  async pauseForDeletion(): Promise<void> {
    this.isPaused = true;
    await this.writeShared({ reason: 'the sync was deleted' });
    this.heldDeletes = null;
  }

  /**
   * Follows a pause or resume another instance recorded (the command reaches the leader, the guard trips
   * on any): no instance keeps applying, writing back or reconciling.
   */
  async follow(pause: OrgPause | null, readAt: number = this.changes): Promise<void> {
    const shared = pause !== null;
    if (readAt !== this.changes || this.writing > 0 || shared === this.isPaused) return;
    // The generation moves first (a read taken before now is out of date), the state only with the held
    // deletes read: a status that says paused says why in the same breath.
    const generation = ++this.changes;
    const held = await this.heldNow();
    // This instance paused or resumed itself meanwhile, or a later read was followed: theirs to carry out.
    if (this.changes !== generation) return;
    this.heldDeletes = held;
    this.isPaused = shared;
    if (shared) await this.stopWork();
    else this.startWork();
    this.options.logger.info(
      { paused: shared },
      shared ? 'the sync was paused by another instance' : 'the sync was resumed by another instance',
    );
    // The reason (the mass-deletion guard's, tripped on another instance) is what the org should show.
    await this.options.work.reporter.flush(pause ? (pause.reason ?? undefined) : null);
  }

  /** Reads again which deletes the guard holds (the status shows them). */
  async refreshHeld(): Promise<void> {
    this.heldDeletes = await this.heldNow();
  }

  /**
   * The guard held deletes: pause until an admin decides. Not awaited: this runs inside the event handler
   * or the reconcile, which pause() waits for.
   */
  async hold(): Promise<void> {
    this.heldDeletes = await this.heldNow();
    if (!this.heldDeletes) return;
    if (this.isPaused) {
      // Held again while paused (the deletes right behind the first ones, before the pause stopped the work):
      // the pause's reason, shown in the org, must count every held delete, not the first run's alone.
      void this.reportHeldAfterPause().catch((err: unknown) =>
        this.options.logger.error({ err }, 'could not report the held deletes'),
      );
      return;
    }
    this.options.logger.warn({ held: this.heldDeletes.deletes }, this.heldDeletes.reason);
    void this.pause(this.heldDeletes.reason).catch((err: unknown) =>
      this.options.logger.error({ err }, 'could not pause for the held deletes'),
    );
  }

  /** Applies (approve) or discards the held deletes, from both sides; returns how many were decided. */
  async decide(approve: boolean): Promise<number> {
    const { db, settings, orgId, logger } = this.options;
    const decided = (await decideHeldDeletes(db, settings, approve)) + (await decideQueuedDeletes(db, orgId, approve));
    this.heldDeletes = await this.heldNow();
    logger.info({ decided, approve }, approve ? 'held deletes applied' : 'held deletes discarded');
    return decided;
  }

  /** Deletes the mass-deletion guard holds, from either side, with the newest reason. */
  private async heldNow(): Promise<HeldDeletes | null> {
    const { db, orgId } = this.options;
    const salesforce = await heldSummary(db, orgId);
    const telephony = await heldOutboxDeletes(db, orgId);
    const deletes = (salesforce?.deletes ?? 0) + telephony.deletes;
    if (deletes === 0) return null;
    // Held on both sides, each side's reason counts its own run: the text counts them all.
    const reason =
      salesforce && telephony.deletes > 0
        ? `${deletes} deletes are held for an admin's approval (mass-deletion guard): ${salesforce.deletes} from Salesforce, ${telephony.deletes} directory deletes`
        : (telephony.reason ?? salesforce?.reason ?? '');
    return { deletes, reason };
  }

  /** After a pause under way (if any): the pause's reason and the org's status follow the held deletes now. */
  private async reportHeldAfterPause(): Promise<void> {
    if (this.pausing) await this.pausing.catch(() => undefined);
    const held = this.heldDeletes;
    if (!this.isPaused || !held) return;
    await setOrgPause(this.options.db, this.options.orgId, { reason: held.reason });
    await this.options.work.reporter.flush(held.reason);
  }

  /** Writes this instance's pause or resume to the shared flag, moving the generation on either side of it. */
  private async writeShared(pause: { reason: string | null } | null): Promise<void> {
    this.changes++;
    this.writing++;
    try {
      await setOrgPause(this.options.db, this.options.orgId, pause);
    } finally {
      this.writing--;
      this.changes++;
    }
  }

  private async stopWork(): Promise<void> {
    const { reconciler, subscriber, writeBack } = this.options.work;
    reconciler.suspend();
    await subscriber.stop();
    await writeBack.stop();
  }

  /** The subscriber runs only on the elected instance; write-back and the reconcile schedule on every one. */
  private startWork(): void {
    const { reconciler, subscriber, writeBack, leadership } = this.options.work;
    reconciler.start();
    if (leadership.role === 'leader') subscriber.start();
    writeBack.start();
  }
}
