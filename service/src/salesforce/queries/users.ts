import type { OrgConnection } from '../session';

/** A User row as the query returns it; the engine decides who becomes an internal extension. */
export interface UserRow {
  Id: string;
  FirstName: string | null;
  LastName: string | null;
  Email: string | null;
  Title: string | null;
  Phone: string | null;
  MobilePhone: string | null;
  /** The extension, from the User field the service was told holds it (USER_EXTENSION_FIELD; Extension by default). */
  extension: string | null;
}

/** The standard field for a user's extension; an org may keep it in another (a custom field, say). */
export const DEFAULT_USER_EXTENSION_FIELD = 'Extension';
/** A User field's API name: letters, digits and underscores, a custom one ending in __c. */
export const FIELD_API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/** Internal people only: partner, community and guest users are not colleagues to dial. */
export const INTERNAL_USERS_WHERE = "IsActive = true AND UserType = 'Standard'";

/**
 * The org's active standard users, every page fetched (up to a million), each with the extension read from
 * `extensionField` — a field API name, checked here again because it goes into the query's text.
 */
export async function queryActiveStandardUsers(
  conn: OrgConnection,
  extensionField = DEFAULT_USER_EXTENSION_FIELD,
): Promise<UserRow[]> {
  if (!FIELD_API_NAME.test(extensionField)) throw new Error(`"${extensionField}" is not a User field API name`);
  const extra = extensionField.toLowerCase() === 'id' ? '' : `, ${extensionField}`;
  const soql = `SELECT Id, FirstName, LastName, Email, Title, Phone, MobilePhone${extra} FROM User WHERE ${INTERNAL_USERS_WHERE} ORDER BY Id`;
  const result = await conn.query<Record<string, unknown>>(soql, { autoFetch: true, maxFetch: 1_000_000 });
  const field = Object.keys(result.records[0] ?? {}).find((k) => k.toLowerCase() === extensionField.toLowerCase());
  const textOf = (value: unknown): string | null =>
    typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
  return result.records.map((row) => ({
    Id: String(row.Id),
    FirstName: textOf(row.FirstName),
    LastName: textOf(row.LastName),
    Email: textOf(row.Email),
    Title: textOf(row.Title),
    Phone: textOf(row.Phone),
    MobilePhone: textOf(row.MobilePhone),
    extension: field ? textOf(row[field]) : null,
  }));
}
