import { parseId } from '../org/ids';
import type { SObjectName } from '../org/schema';
import type { SfRecord } from '../org/store';
import type { CompareOp, ConditionAst, FieldPathAst, ValueAst } from './ast';
import { dateLiteralRange } from './date-literals';
import { soqlErrorAt } from './errors';
import { kindOf, sortKey, type FieldKind, type SortKey } from './field-kinds';
import { pathReader, resolveFieldPath, type ParentLookup, type ResolvedPath } from './paths';

export type Predicate = (record: SfRecord, parents: ParentLookup) => boolean;

export interface FilterContext {
  query: string;
  sobject: SObjectName;
  personAccounts: boolean;
  /** "Now" for TODAY and LAST_N_DAYS. */
  now: Date;
}

/** A literal as a key comparable with sortKey(field value); date literals are ranges [lo, hi). */
type Literal = { kind: 'null' } | { kind: 'point'; key: SortKey } | { kind: 'range'; lo: SortKey; hi: SortKey };

const TYPE_NAMES: Record<Exclude<FieldKind, 'longText'>, string> = {
  text: 'string',
  id: 'id',
  boolean: 'boolean',
  number: 'double',
  datetime: 'dateTime',
  date: 'date',
};

/**
 * Compiles a WHERE tree into a predicate. SOQL null semantics: `= null` and `!= null` test for
 * null; `!=` and NOT IN are true for null values; <, >, LIKE and IN are false for them.
 */
export function compileFilter(ctx: FilterContext, ast: ConditionAst): Predicate {
  switch (ast.kind) {
    case 'and': {
      const parts = ast.operands.map((operand) => compileFilter(ctx, operand));
      return (record, parents) => parts.every((part) => part(record, parents));
    }
    case 'or': {
      const parts = ast.operands.map((operand) => compileFilter(ctx, operand));
      return (record, parents) => parts.some((part) => part(record, parents));
    }
    case 'not': {
      const inner = compileFilter(ctx, ast.operand);
      return (record, parents) => !inner(record, parents);
    }
    case 'compare':
      return compileCompare(ctx, ast.field, ast.op, ast.value);
    case 'in':
      return compileIn(ctx, ast.field, ast.values, ast.negated);
    case 'like':
      return compileLike(ctx, ast.field, ast.value, ast.pos);
  }
}

function filterableField(
  ctx: FilterContext,
  field: FieldPathAst,
): { path: ResolvedPath; kind: Exclude<FieldKind, 'longText'> } {
  const path = resolveFieldPath(ctx.query, ctx.sobject, field, ctx.personAccounts);
  const kind = kindOf(path.leaf);
  if (kind === 'longText') {
    throw soqlErrorAt(
      'INVALID_FIELD',
      ctx.query,
      field.pos,
      `field '${path.leafName}' can not be filtered in a query call`,
    );
  }
  return { path, kind };
}

function compileCompare(ctx: FilterContext, field: FieldPathAst, op: CompareOp, value: ValueAst): Predicate {
  const { path, kind } = filterableField(ctx, field);
  const read = pathReader(path);
  const literal = toLiteral(ctx, path, kind, value);
  if (literal.kind === 'null') {
    if (op !== '=' && op !== '!=') {
      throw soqlErrorAt('MALFORMED_QUERY', ctx.query, value.pos, `null can only be compared with = or !=`);
    }
    return op === '='
      ? (record, parents) => read(record, parents) === null
      : (record, parents) => read(record, parents) !== null;
  }
  const test = keyTest(op, literal);
  const nullResult = op === '!=';
  return (record, parents) => {
    const key = sortKey(kind, read(record, parents));
    return key === null ? nullResult : test(key);
  };
}

function keyTest(op: CompareOp, literal: Exclude<Literal, { kind: 'null' }>): (key: SortKey) => boolean {
  if (literal.kind === 'point') {
    const p = literal.key;
    switch (op) {
      case '=':
        return (k) => k === p;
      case '!=':
        return (k) => k !== p;
      case '<':
        return (k) => k < p;
      case '<=':
        return (k) => k <= p;
      case '>':
        return (k) => k > p;
      case '>=':
        return (k) => k >= p;
    }
  }
  const { lo, hi } = literal;
  switch (op) {
    case '=':
      return (k) => k >= lo && k < hi;
    case '!=':
      return (k) => k < lo || k >= hi;
    case '<':
      return (k) => k < lo;
    case '<=':
      return (k) => k < hi;
    case '>':
      return (k) => k >= hi;
    case '>=':
      return (k) => k >= lo;
  }
}

function compileIn(ctx: FilterContext, field: FieldPathAst, values: ValueAst[], negated: boolean): Predicate {
  const { path, kind } = filterableField(ctx, field);
  const read = pathReader(path);
  const literals = values.map((value) => toLiteral(ctx, path, kind, value));
  const includesNull = literals.some((literal) => literal.kind === 'null');
  const points = new Set<SortKey>();
  const ranges: Array<(key: SortKey) => boolean> = [];
  for (const literal of literals) {
    if (literal.kind === 'point') points.add(literal.key);
    else if (literal.kind === 'range') ranges.push(keyTest('=', literal));
  }
  const member = (record: SfRecord, parents: ParentLookup): boolean => {
    const key = sortKey(kind, read(record, parents));
    if (key === null) return includesNull;
    return points.has(key) || ranges.some((inRange) => inRange(key));
  };
  // NOT IN keeps records whose value is null, like !=.
  return negated ? (record, parents) => !member(record, parents) : member;
}

function compileLike(ctx: FilterContext, field: FieldPathAst, value: ValueAst, pos: number): Predicate {
  const { path, kind } = filterableField(ctx, field);
  if (kind !== 'text') {
    throw soqlErrorAt(
      'INVALID_FIELD',
      ctx.query,
      pos,
      `invalid operator on field '${path.leafName}': LIKE is only valid on string fields`,
    );
  }
  if (value.kind !== 'string') {
    throw soqlErrorAt(
      'INVALID_FIELD',
      ctx.query,
      value.pos,
      `value of filter criterion for field '${path.leafName}' must be of type string and should be enclosed in quotes`,
    );
  }
  const pattern = likeToRegExp(value.value, value.escapedWildcards);
  const read = pathReader(path);
  return (record, parents) => {
    const v = read(record, parents);
    return v !== null && pattern.test(String(v));
  };
}

/** `%` is any run of characters and `_` exactly one, unless written `\%` / `\_`; case-insensitive. */
export function likeToRegExp(pattern: string, escapedWildcards: number[]): RegExp {
  const literal = new Set(escapedWildcards);
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '%' && !literal.has(i)) source += '[\\s\\S]*';
    else if (ch === '_' && !literal.has(i)) source += '[\\s\\S]';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'iu');
}

function toLiteral(
  ctx: FilterContext,
  path: ResolvedPath,
  kind: Exclude<FieldKind, 'longText'>,
  value: ValueAst,
): Literal {
  if (value.kind === 'null') return { kind: 'null' };
  const wrongType = (): never => {
    const quoted = kind === 'text' || kind === 'id';
    throw soqlErrorAt(
      'INVALID_FIELD',
      ctx.query,
      value.pos,
      `value of filter criterion for field '${path.leafName}' must be of type ${TYPE_NAMES[kind]} and ${quoted ? 'should be enclosed in quotes' : 'should not be enclosed in quotes'}`,
    );
  };
  switch (kind) {
    case 'text':
      if (value.kind !== 'string') return wrongType();
      return { kind: 'point', key: value.value.toUpperCase() };
    case 'id': {
      if (value.kind !== 'string') return wrongType();
      const parsed = parseId(value.value);
      if (!parsed)
        throw soqlErrorAt('INVALID_QUERY_FILTER_OPERATOR', ctx.query, value.pos, `invalid ID field: ${value.value}`);
      return { kind: 'point', key: parsed.id18 };
    }
    case 'boolean':
      if (value.kind !== 'boolean') return wrongType();
      return { kind: 'point', key: value.value ? 1 : 0 };
    case 'number':
      if (value.kind !== 'number') return wrongType();
      return { kind: 'point', key: value.value };
    case 'datetime':
      if (value.kind === 'datetime') return { kind: 'point', key: value.value };
      if (value.kind === 'dateLiteral') {
        const { start, end } = dateLiteralRange(value.name, value.n, ctx.now);
        return { kind: 'range', lo: new Date(start).toISOString(), hi: new Date(end).toISOString() };
      }
      return wrongType();
    case 'date':
      if (value.kind === 'date') return { kind: 'point', key: value.value };
      if (value.kind === 'dateLiteral') {
        const { start, end } = dateLiteralRange(value.name, value.n, ctx.now);
        return {
          kind: 'range',
          lo: new Date(start).toISOString().slice(0, 10),
          hi: new Date(end).toISOString().slice(0, 10),
        };
      }
      return wrongType();
  }
}
