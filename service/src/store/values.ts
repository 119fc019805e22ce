/** Conversions between `pg` row values and the camelCase shapes the repositories return. */

/** The store checks ids before Postgres sees them, by the same rule as every other edge. */
export { isUuid } from '../model/ids';

/** bigserial ids travel as decimal strings (int8 exceeds JavaScript's safe integers). */
export function isBigintId(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value);
}

/** `pg` parses timestamptz into Date; the service's shapes carry ISO 8601 strings. */
export function iso(value: Date | string): string;
export function iso(value: Date | string | null): string | null;
export function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/**
 * jsonb parameters are sent as JSON text: `pg` would turn a JS array into a Postgres array literal.
 * undefined and null become SQL NULL.
 */
export function jsonParam(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Thrown for arguments a repository cannot store; names the field and the record. */
export class StoreInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly recordId?: string,
  ) {
    super(`${field}: ${message}${recordId ? ` (record ${recordId})` : ''}`);
    this.name = 'StoreInputError';
  }
}

export function requirePositiveInteger(field: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new StoreInputError(field, `expects an integer from 1 to ${max} (got ${String(value)})`);
  }
  return value;
}
