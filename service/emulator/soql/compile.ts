import { resolveSObject, type SObjectName } from '../org/schema';
import type { FieldValue, SfRecord } from '../org/store';
import { soqlErrorAt } from './errors';
import { kindOf, type FieldKind } from './field-kinds';
import { compileFilter, type Predicate } from './filter';
import { parseSoql } from './parser';
import { pathReader, resolveFieldPath, type ParentLookup, type ResolvedPath } from './paths';

export type Reader = (record: SfRecord, parents: ParentLookup) => FieldValue;

export interface Column {
  path: ResolvedPath;
  kind: FieldKind;
  read: Reader;
}

export interface OrderKey {
  kind: FieldKind;
  read: Reader;
  descending: boolean;
  nullsLast: boolean;
}

/** A query checked against the org's schema, ready to run against its store. */
export interface CompiledQuery {
  text: string;
  sobject: SObjectName;
  /** SELECT COUNT(): only the number of matches is returned. */
  count: boolean;
  columns: Column[];
  where?: Predicate;
  orderBy: OrderKey[];
  /** True when the store's scan order (Id ascending) already satisfies ORDER BY. */
  scanOrdered: boolean;
  limit?: number;
  offset: number;
}

export interface CompileOptions {
  personAccounts: boolean;
  /** "Now" for date literals; defaults to the current time. */
  now?: Date;
}

/** SOQL caps OFFSET at 2,000 rows. */
export const MAX_OFFSET = 2000;

export function compileSoql(text: string, options: CompileOptions): CompiledQuery {
  const ast = parseSoql(text);
  const sobject = resolveSObject(ast.from.name);
  if (!sobject) {
    throw soqlErrorAt(
      'INVALID_TYPE',
      text,
      ast.from.pos,
      `sObject type '${ast.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const resolve = (field: Parameters<typeof resolveFieldPath>[2]): ResolvedPath =>
    resolveFieldPath(text, sobject, field, options.personAccounts);

  const columns: Column[] = [];
  if (ast.select.kind === 'fields') {
    const seen = new Set<string>();
    for (const field of ast.select.fields) {
      const path = resolve(field);
      const key = path.path.toLowerCase();
      if (seen.has(key))
        throw soqlErrorAt('MALFORMED_QUERY', text, field.pos, `duplicate field selected: ${path.path}`);
      seen.add(key);
      columns.push({ path, kind: kindOf(path.leaf), read: pathReader(path) });
    }
  }

  let orderedById = false;
  const orderBy: OrderKey[] = ast.orderBy.map((item, index) => {
    const path = resolve(item.field);
    const kind = kindOf(path.leaf);
    if (kind === 'longText') {
      throw soqlErrorAt(
        'INVALID_FIELD',
        text,
        item.field.pos,
        `field '${path.leafName}' can not be sorted in a query call`,
      );
    }
    if (index === 0 && path.path === 'Id' && !item.descending) orderedById = true;
    // The SOQL reference: "By default, null values are sorted first", whatever the direction.
    return { kind, read: pathReader(path), descending: item.descending, nullsLast: item.nullsLast ?? false };
  });
  // Ids are unique, so ORDER BY Id (ASC) first is the scan order whatever follows it.
  const scanOrdered = orderBy.length === 0 || orderedById;

  if (ast.offset && ast.offset.value > MAX_OFFSET) {
    throw soqlErrorAt(
      'NUMBER_OUTSIDE_VALID_RANGE',
      text,
      ast.offset.pos,
      `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
    );
  }

  const where = ast.where
    ? compileFilter(
        { query: text, sobject, personAccounts: options.personAccounts, now: options.now ?? new Date() },
        ast.where,
      )
    : undefined;

  return {
    text,
    sobject,
    count: ast.select.kind === 'count',
    columns,
    where,
    orderBy,
    scanOrdered,
    limit: ast.limit,
    offset: ast.offset?.value ?? 0,
  };
}
