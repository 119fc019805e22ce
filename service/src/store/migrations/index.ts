import * as initial from './001_initial';

export interface Migration {
  /** Ordering key, never reused or renumbered once released. */
  version: number;
  name: string;
  sql: string;
}

/** Every migration in order. Add new ones at the end as `NNN_name.ts`; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [{ version: 1, ...initial }];
