import type { Connection } from 'jsforce';
import { INTERNAL_USERS_WHERE } from './queries/users';

/** The org's daily API requests: how many are used today and how many it allows. */
export interface DailyApiUsage {
  used: number;
  limit: number;
}

/**
 * GET /limits: the daily API requests used and allowed; null when the org does not report them (the
 * callers decide whether that is an error). One call.
 */
export async function dailyApiUsage(conn: Connection): Promise<DailyApiUsage | null> {
  const limits = (await conn.limits()) as { DailyApiRequests?: { Max: number; Remaining: number } };
  const daily = limits.DailyApiRequests;
  return daily ? { used: daily.Max - daily.Remaining, limit: daily.Max } : null;
}

/** The records the systems check counts, by the name its figures use. */
const COUNT_QUERIES = {
  contacts: 'SELECT COUNT() FROM Contact',
  leads: 'SELECT COUNT() FROM Lead',
  // The people who could be internal extensions: active users with a Salesforce licence.
  users: `SELECT COUNT() FROM User WHERE ${INTERNAL_USERS_WHERE}`,
} as const;

export type OrgCount = keyof typeof COUNT_QUERIES;

/** The counts, in the order the systems check reports them. */
export const ORG_COUNTS = Object.keys(COUNT_QUERIES) as OrgCount[];

/** How many contacts, leads or users the org has (one COUNT() query). */
export async function countOrgRecords(conn: Connection, what: OrgCount): Promise<number> {
  return (await conn.query(COUNT_QUERIES[what])).totalSize;
}
