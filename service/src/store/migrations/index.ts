import * as initial from './001_initial';
import * as linkValuesOutboxOrder from './002_link_values_outbox_order';

export interface Migration {
  /** Ordering key, never reused or renumbered once released. */
  version: number;
  name: string;
  sql: string;
}

/** Every migration in order. Add new ones at the end as `NNN_name.ts`; never edit one that has been committed. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, ...initial },
  { version: 2, ...linkValuesOutboxOrder },
];
