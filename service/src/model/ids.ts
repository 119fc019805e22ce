/**
 * Identifier shapes checked at every edge (HTTP input, events, checkpoints): one definition each, so a
 * rule about what an id looks like cannot differ between the places that check it.
 */

/** A Salesforce record id: 15 characters (case-sensitive) or 18 (with the case-safe suffix). */
export const SALESFORCE_ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** A directory contact id (UUID, any version; the database generates v4 and batch loads v7). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isSalesforceId(value: string): boolean {
  return SALESFORCE_ID_PATTERN.test(value);
}

/** Postgres rejects a malformed uuid with an error; callers that treat "no such id" as null check first. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
