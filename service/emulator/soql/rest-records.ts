import type { FieldValue, OrgStore, SfRecord } from '../org/store';
import type { Column, CompiledQuery } from './compile';
import type { FieldKind } from './field-kinds';
import type { ParentLookup } from './paths';

/** A record as the REST API returns it from a query. */
export interface RestRecord {
  attributes: { type: string; url: string };
  [field: string]: unknown;
}

type ShapeEntry =
  | { kind: 'field'; name: string; fieldKind: FieldKind }
  | { kind: 'parent'; name: string; foreignKey: string; node: ShapeEntry[] };

/**
 * Builds the nesting a query's columns imply: `Account.Name` and `Account.Phone` become one
 * `Account: { attributes, Name, Phone }` object (or `Account: null` without a parent), keys in
 * the order the SELECT list first names them.
 */
function shapeTree(columns: Column[]): ShapeEntry[] {
  const root: ShapeEntry[] = [];
  for (const column of columns) {
    let level = root;
    for (const step of column.path.steps) {
      let parent = level.find(
        (entry): entry is Extract<ShapeEntry, { kind: 'parent' }> =>
          entry.kind === 'parent' && entry.name === step.name,
      );
      if (!parent) {
        parent = { kind: 'parent', name: step.name, foreignKey: step.foreignKey, node: [] };
        level.push(parent);
      }
      level = parent.node;
    }
    level.push({ kind: 'field', name: column.path.leafName, fieldKind: column.kind });
  }
  return root;
}

/** REST shows datetimes as `2024-01-01T00:00:00.000+0000`. */
export function restValue(kind: FieldKind, value: FieldValue | undefined): FieldValue {
  if (value === undefined || value === null) return null;
  if (kind === 'datetime' && typeof value === 'string' && value.endsWith('Z')) return `${value.slice(0, -1)}+0000`;
  return value;
}

export function restRecordShaper(
  store: OrgStore,
  query: CompiledQuery,
  apiVersion: string,
): (record: SfRecord, parents: ParentLookup) => RestRecord {
  const tree = shapeTree(query.columns);
  const urlBase = `/services/data/v${apiVersion}/sobjects/`;
  const shape = (entries: ShapeEntry[], record: SfRecord, type: string, parents: ParentLookup): RestRecord => {
    const out: RestRecord = { attributes: { type, url: `${urlBase}${type}/${record.Id}` } };
    for (const entry of entries) {
      if (entry.kind === 'field') {
        out[entry.name] = restValue(entry.fieldKind, record[entry.name]);
        continue;
      }
      const id = record[entry.foreignKey];
      const parent = typeof id === 'string' ? parents.get(id) : null;
      out[entry.name] = parent ? shape(entry.node, parent, store.sobjectOfId(parent.Id) ?? 'Name', parents) : null;
    }
    return out;
  };
  return (record, parents) => shape(tree, record, query.sobject, parents);
}
