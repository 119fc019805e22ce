import type { FieldDef } from './schema';
import { DmlError, type FieldValue } from './records';

/**
 * A client's value for one field as the platform stores it, or a DmlError with Salesforce's status code
 * (REQUIRED_FIELD_MISSING, STRING_TOO_LONG, INVALID_EMAIL_ADDRESS, FIELD_INTEGRITY_EXCEPTION, ...).
 * `resolveReference` answers whether a reference points at a live record of an allowed type.
 */
export function coerceFieldValue(
  def: FieldDef,
  value: unknown,
  resolveReference: (id: string) => string | undefined,
): FieldValue {
  const bad = (message: string, statusCode = 'INVALID_TYPE_ON_FIELD_IN_RECORD'): never => {
    throw new DmlError({ statusCode, message, fields: [def.name] });
  };
  if (value === null || value === undefined || value === '') {
    if (!def.nillable && def.type !== 'boolean') {
      bad(`Required fields are missing: [${def.name}]`, 'REQUIRED_FIELD_MISSING');
    }
    return def.type === 'boolean' ? false : null;
  }
  switch (def.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return bad(`${def.label}: value not of required type: ${String(value)}`);
    case 'int':
    case 'double': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return bad(`${def.label}: value not of required type: ${String(value)}`);
      return def.type === 'int' ? Math.trunc(n) : n;
    }
    case 'reference': {
      const id = String(value);
      return (
        resolveReference(id) ?? bad(`${def.label}: id value of incorrect type: ${id}`, 'FIELD_INTEGRITY_EXCEPTION')
      );
    }
    case 'datetime':
    case 'date': {
      const d = new Date(String(value));
      if (Number.isNaN(d.getTime())) return bad(`${def.label}: invalid date: ${String(value)}`);
      return def.type === 'date' ? d.toISOString().slice(0, 10) : d.toISOString();
    }
    default: {
      if (typeof value === 'object') return bad(`${def.label}: value not of required type`);
      const s = String(value);
      if (def.length !== undefined && s.length > def.length) {
        bad(`${def.label}: data value too large: ${s.slice(0, 40)} (max length=${def.length})`, 'STRING_TOO_LONG');
      }
      if (def.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) {
        bad(`${def.label}: invalid email address: ${s}`, 'INVALID_EMAIL_ADDRESS');
      }
      if (def.restrictedPicklist && !(def.picklistValues ?? []).includes(s)) {
        bad(`${def.label}: bad value for restricted picklist field: ${s}`, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
      }
      return s;
    }
  }
}
