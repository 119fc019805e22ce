import type { SyncedObject } from '../../model/records';
import type { ObjectCheckpoint } from '../../store/state/initialSyncCheckpoint';

export interface ObjectProgress {
  sobject: SyncedObject;
  state: 'pending' | 'running' | 'done';
  /** Records read from the snapshot and applied (created, linked, excluded or left alone). */
  done: number;
  /** In-scope records counted before the snapshot (a COUNT() query); null until counted. */
  total: number | null;
  pages: number;
}

/** The org's initial sync as the status API, the dashboard and the org's sync record show it. */
export interface InitialSyncStatus {
  /** 'pending' with done > 0: interrupted, and resumes from its checkpoint at the next start. */
  state: 'pending' | 'running' | 'done' | 'failed';
  /** Same as `done` (kept for readers of the first status shape). */
  records: number;
  done: number;
  /** Sum of the objects' totals; null while an object is still uncounted. */
  total: number | null;
  /** Records per second in this run (resumed records not counted); null before the first page. */
  ratePerSecond: number | null;
  /** Seconds left at the current rate; null when unknown. */
  etaSeconds: number | null;
  objects: ObjectProgress[];
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export function pendingInitialSync(): InitialSyncStatus {
  return {
    state: 'pending',
    records: 0,
    done: 0,
    total: null,
    ratePerSecond: null,
    etaSeconds: null,
    objects: [],
    startedAt: null,
    finishedAt: null,
    error: null,
  };
}

/**
 * Counts one run's progress over the objects it loads. The rate covers only records applied in this run,
 * so a resumed sync does not claim the speed of the records it skipped.
 */
export class ProgressTracker {
  private readonly objects: ObjectProgress[];
  private readonly started = performance.now();
  private appliedThisRun = 0;

  constructor(objects: SyncedObject[], checkpoints: Map<string, ObjectCheckpoint>) {
    this.objects = objects.map((sobject) => {
      const cp = checkpoints.get(sobject);
      return cp
        ? { sobject, state: cp.state, done: cp.rowsDone, total: cp.total, pages: cp.pagesDone }
        : { sobject, state: 'pending', done: 0, total: null, pages: 0 };
    });
  }

  /** The object's count, and what its checkpoint says is done already; it waits for its turn. */
  plan(sobject: SyncedObject, total: number | null, done: number, pages: number): void {
    Object.assign(this.of(sobject), { state: 'pending', total, done, pages });
  }

  start(sobject: SyncedObject): void {
    this.of(sobject).state = 'running';
  }

  page(sobject: SyncedObject, rows: number): void {
    const object = this.of(sobject);
    object.done += rows;
    object.pages++;
    this.appliedThisRun += rows;
  }

  /** Done; an object the org does not have (Person Accounts off) finishes with 0 of 0. */
  finish(sobject: SyncedObject): void {
    const object = this.of(sobject);
    Object.assign(object, { state: 'done', total: object.total ?? object.done });
  }

  snapshot(): Pick<InitialSyncStatus, 'records' | 'done' | 'total' | 'ratePerSecond' | 'etaSeconds' | 'objects'> {
    const done = this.objects.reduce((sum, o) => sum + o.done, 0);
    const total = this.objects.every((o) => o.total !== null)
      ? this.objects.reduce((sum, o) => sum + (o.total ?? 0), 0)
      : null;
    const seconds = (performance.now() - this.started) / 1000;
    const rate = this.appliedThisRun > 0 && seconds > 0 ? this.appliedThisRun / seconds : null;
    // Records may appear during the snapshot, so done can pass the count taken before it.
    const eta = rate !== null && total !== null ? Math.max(0, total - done) / rate : null;
    return {
      records: done,
      done,
      total,
      ratePerSecond: rate === null ? null : Math.round(rate * 10) / 10,
      etaSeconds: eta === null ? null : Math.ceil(eta),
      objects: this.objects.map((o) => ({ ...o })),
    };
  }

  private of(sobject: SyncedObject): ObjectProgress {
    const object = this.objects.find((o) => o.sobject === sobject);
    if (!object) throw new Error(`initial sync progress: ${sobject} is not one of the objects being loaded`);
    return object;
  }
}

/** What a restarted service shows before it resumes: the stored per-object progress, no rate yet. */
export function statusFromCheckpoints(
  objects: SyncedObject[],
  checkpoints: Map<string, ObjectCheckpoint>,
): InitialSyncStatus {
  const progress = new ProgressTracker(objects, checkpoints).snapshot();
  const first = [...checkpoints.values()][0];
  return {
    ...pendingInitialSync(),
    ...progress,
    ratePerSecond: null,
    etaSeconds: null,
    startedAt: first?.startedAt ?? null,
  };
}
