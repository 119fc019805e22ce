import type { Queryable } from '../store/types';
import { isUuid, StoreInputError } from '../store/values';
import type { ContactFields, DirectoryContact } from './model';
import {
  CONTACT_COLUMNS,
  FIELD_COLUMNS,
  SCALAR_FIELDS,
  checkFields,
  copyPhones,
  toContact,
  withPhones,
  type ContactDbRow,
} from './contacts';

/** One contact's change in a batch: the contact as the caller read it, and its new scalar fields. */
export interface ScalarUpdate {
  read: DirectoryContact;
  fields: Pick<ContactFields, (typeof SCALAR_FIELDS)[number]>;
}

/**
 * updateContact for many contacts whose change is scalar fields only (no phones, no tags), in ONE
 * statement: each contact gets exactly its own keys, its version and updated_at bump. Returns the
 * contacts as written, by id (an id gone meanwhile is missing). A contact's phones are the ones the caller
 * read when this is the very next version (every write of a phone bumps it); otherwise they are read again.
 * The updates go in id order; two streams' batches over the same contacts could still lock in different
 * orders — a deadlock Postgres breaks by failing one transaction, which its subscriber applies again.
 */
export async function updateContactScalars(
  q: Queryable,
  updates: ScalarUpdate[],
): Promise<Map<string, DirectoryContact>> {
  const written = new Map<string, DirectoryContact>();
  if (updates.length === 0) return written;
  const sorted = [...updates].sort((a, b) => (a.read.id < b.read.id ? -1 : a.read.id > b.read.id ? 1 : 0));
  for (const { read, fields } of sorted) {
    if (!isUuid(read.id)) throw new StoreInputError('id', `expects a contact id (uuid), got "${String(read.id)}"`);
    const extra = Object.keys(fields).filter((key) => !(SCALAR_FIELDS as string[]).includes(key));
    if (extra.length > 0) throw new StoreInputError(extra[0], `is not a scalar field (contact ${read.id})`);
    checkFields(fields, read.id);
  }
  // One JSON document: each row says which fields it sets (`set`) and their values; pg would escape every
  // element of array parameters one by one.
  const rows = sorted.map((u) => ({
    id: u.read.id,
    set: SCALAR_FIELDS.filter((f) => f in u.fields && u.fields[f] !== undefined).map((f) => FIELD_COLUMNS[f]),
    ...Object.fromEntries(SCALAR_FIELDS.map((f) => [FIELD_COLUMNS[f], u.fields[f] ?? null])),
  }));
  const columns = SCALAR_FIELDS.map((f) => FIELD_COLUMNS[f]);
  const sets = columns.map(
    (column) => `${column} = CASE WHEN '${column}' = ANY(u.set) THEN u.${column} ELSE c.${column} END`,
  );
  const { rows: updated } = await q.query<ContactDbRow>(
    `UPDATE directory_contacts c SET version = c.version + 1, updated_at = now(), ${sets.join(', ')}
     FROM json_to_recordset($1::json) AS u(id uuid, set text[], ${columns.map((c) => `${c} text`).join(', ')})
     WHERE c.id = u.id
     RETURNING ${CONTACT_COLUMNS.split(', ')
       .map((column) => `c.${column}`)
       .join(', ')}`,
    [JSON.stringify(rows)],
  );
  const reads = new Map(updates.map((u) => [u.read.id, u.read]));
  const moved: ContactDbRow[] = [];
  for (const row of updated) {
    const read = reads.get(row.id);
    if (read && Number(row.version) === read.version + 1) written.set(row.id, toContact(row, copyPhones(read.phones)));
    else moved.push(row);
  }
  for (const contact of await withPhones(q, moved)) written.set(contact.id, contact);
  return written;
}
