/** The parsed form of a SOQL query, before it is checked against the schema. */

export interface FieldPathAst {
  /** As written: `Account.Name`. */
  text: string;
  parts: string[];
  pos: number;
}

export type ValueAst =
  | {
      kind: 'string';
      value: string;
      /** Offsets in `value` of `%`/`_` written as `\%`/`\_` (literal in LIKE). */ escapedWildcards: number[];
      pos: number;
    }
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  | { kind: 'null'; pos: number }
  /** Normalised to UTC ISO-8601 with milliseconds (`2024-01-01T08:00:00.000Z`). */
  | { kind: 'datetime'; value: string; text: string; pos: number }
  /** `YYYY-MM-DD`. */
  | { kind: 'date'; value: string; text: string; pos: number }
  /** TODAY, LAST_N_DAYS:n and friends. */
  | { kind: 'dateLiteral'; name: string; n?: number; text: string; pos: number };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type ConditionAst =
  | { kind: 'compare'; field: FieldPathAst; op: CompareOp; value: ValueAst; pos: number }
  | { kind: 'in'; field: FieldPathAst; negated: boolean; values: ValueAst[]; pos: number }
  | { kind: 'like'; field: FieldPathAst; value: ValueAst; pos: number }
  | { kind: 'and'; operands: ConditionAst[] }
  | { kind: 'or'; operands: ConditionAst[] }
  | { kind: 'not'; operand: ConditionAst };

export interface OrderByAst {
  field: FieldPathAst;
  descending: boolean;
  /** Undefined when the query does not say (the platform then puts nulls first). */
  nullsLast?: boolean;
}

export type SelectAst = { kind: 'count'; pos: number } | { kind: 'fields'; fields: FieldPathAst[] };

export interface QueryAst {
  text: string;
  select: SelectAst;
  from: { name: string; pos: number };
  where?: ConditionAst;
  orderBy: OrderByAst[];
  limit?: number;
  offset?: { value: number; pos: number };
}
