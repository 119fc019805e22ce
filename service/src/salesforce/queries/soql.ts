import { isSalesforceId } from '../../model/ids';

/**
 * SOQL for the engine's reads, built from typed selections: the only place where a value becomes query
 * text. Conditions the engine writes itself (an object's scope, from sync/rules/scope.ts, already checked
 * to be one condition) come in as text; ids and instants are checked and formatted here.
 */

/** Which records of one object to read, and which of their fields. */
export interface RecordSelection {
  sobject: string;
  /** Selected in the order given, each once. */
  fields: Iterable<string>;
  /** Only records in the recycle bin (the REST query then runs as queryAll). */
  deleted?: boolean;
  /** The engine's condition, without WHERE (an object's scope); '' or null for none. */
  condition?: string | null;
  /** Only these records. */
  ids?: string[];
  /** Only records whose Id sorts after this one (resuming a read in Id order). */
  idAfter?: string;
  /** Only records saved after this instant (SystemModstamp). */
  modifiedAfter?: Date;
  orderById?: boolean;
  limit?: number;
}

/**
 * A text as a SOQL string literal, quotes included: backslash, quotes and the control characters SOQL names
 * are escaped, so a value from outside (a PBX's call id) can only ever be one string.
 */
export function soqlString(text: string): string {
  const escaped = text.replace(/[\\'"\n\r\t\b\f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : c === '\b' ? '\\b' : c === '\f' ? '\\f' : `\\${c}`,
  );
  return `'${escaped}'`;
}

/** Formats an instant as a SOQL dateTime literal (no quotes, whole seconds). */
export function soqlDateTime(at: Date | string): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) throw new Error(`not a timestamp: ${String(at)}`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A record id as a SOQL string literal; anything else is refused before it reaches the query. */
function quotedId(id: string): string {
  if (!isSalesforceId(id)) throw new Error(`"${id}" is not a Salesforce record id: it cannot enter SOQL`);
  return `'${id}'`;
}

/** The WHERE conditions of a selection, ANDed in a fixed order; '' when nothing restricts it. */
function whereOf(selection: RecordSelection): string {
  const parts: string[] = [];
  if (selection.deleted) parts.push('IsDeleted = true');
  if (selection.condition) parts.push(selection.condition);
  if (selection.ids) parts.push(`Id IN (${selection.ids.map(quotedId).join(', ')})`);
  if (selection.idAfter !== undefined) parts.push(`Id > ${quotedId(selection.idAfter)}`);
  if (selection.modifiedAfter) parts.push(`SystemModstamp > ${soqlDateTime(selection.modifiedAfter)}`);
  return parts.join(' AND ');
}

/** The query of the selection. Throws, before anything is sent, on an id or instant that is not one. */
export function selectSoql(selection: RecordSelection): string {
  const where = whereOf(selection);
  let soql = `SELECT ${[...new Set(selection.fields)].join(', ')} FROM ${selection.sobject}${where ? ` WHERE ${where}` : ''}`;
  if (selection.orderById) soql += ' ORDER BY Id';
  if (selection.limit !== undefined) soql += ` LIMIT ${selection.limit}`;
  return soql;
}

/** SELECT COUNT() over the selection's records (its fields and order do not matter). */
export function countSoql(selection: Omit<RecordSelection, 'fields'>): string {
  const where = whereOf({ ...selection, fields: [] });
  return `SELECT COUNT() FROM ${selection.sobject}${where ? ` WHERE ${where}` : ''}`;
}
