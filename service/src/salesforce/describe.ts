import type { Connection } from 'jsforce';

/**
 * What the service asks of an object's describe: its fields, as the integration user sees them. The
 * engine reads only the parts it needs (a mapping check: name, createable, updateable, relationshipName,
 * referenceTo); jsforce's field descriptions are returned as they come.
 */
export async function describeFields(conn: Connection, sobject: string) {
  const describe = await conn.sobject(sobject).describe();
  return describe.fields;
}

/** Whether the org has Person Accounts: Account then has an IsPersonAccount field. One describe call. */
export async function hasPersonAccounts(conn: Connection): Promise<boolean> {
  const fields = await describeFields(conn, 'Account');
  return fields.some((f) => f.name === 'IsPersonAccount');
}
