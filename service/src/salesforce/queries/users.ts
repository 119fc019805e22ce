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
  Extension: string | null;
}

/** Internal people only: partner, community and guest users are not colleagues to dial. */
export const INTERNAL_USERS_WHERE = "IsActive = true AND UserType = 'Standard'";

const USER_SOQL = `SELECT Id, FirstName, LastName, Email, Title, Phone, MobilePhone, Extension FROM User WHERE ${INTERNAL_USERS_WHERE} ORDER BY Id`;

/** The org's active standard users, every page fetched (up to a million). */
export async function queryActiveStandardUsers(conn: OrgConnection): Promise<UserRow[]> {
  const result = await conn.query<UserRow>(USER_SOQL, { autoFetch: true, maxFetch: 1_000_000 });
  return result.records;
}
