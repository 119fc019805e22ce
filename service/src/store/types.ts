/** The slice of `pg` the service uses, so real Postgres and PGlite (through pglite-socket) look alike. */
export interface QueryResultLike<R> {
  rows: R[];
  rowCount: number | null;
}

export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResultLike<R>>;
}

/** One connection of its own, outside the pool, for session state such as advisory locks. */
export interface SessionConnection extends Queryable {
  /** Called once when the connection breaks or is ended. */
  onClose(listener: (error?: Error) => void): void;
  end(): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Opens a dedicated connection (real Postgres only; PGlite is one session in this process, so there
   * is nothing to hold apart from the pool).
   */
  openSession?(): Promise<SessionConnection>;
  /**
   * Runs `fn` in one transaction on one connection (BEGIN/COMMIT, ROLLBACK on throw). Inside `fn`, use
   * only `tx`: on PGlite there is a single backend session, so waiting on another connection while
   * holding a transaction would deadlock.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
