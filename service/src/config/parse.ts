/**
 * Checking variable values against their specs: the typed zod object built from the variable table,
 * defaults filled in, and problem messages that name the variable without echoing secrets.
 */
import { z } from 'zod';
import { redactUrlPassword } from '../log';
import { VARIABLES, type VariableName, type VariableSpec } from './variables';

type Variables = typeof VARIABLES;
type Optional<V> = V extends { default: null } | { derivedDefault: true } ? true : false;
/** The zod shape built below, spelled out so the parsed result is typed from the schemas themselves. */
type FieldShape = {
  [K in keyof Variables as Variables[K] extends { schema: z.ZodType } ? K : never]: Variables[K] extends {
    schema: infer S extends z.ZodType;
  }
    ? Optional<Variables[K]> extends true
      ? z.ZodOptional<S>
      : S
    : never;
};
export type ParsedVariables = z.output<z.ZodObject<FieldShape>>;
export type GivenVariables = Partial<Record<VariableName, string>>;

function spec(name: VariableName): VariableSpec {
  return VARIABLES[name];
}

function isOptional(s: VariableSpec): boolean {
  return s.default === null || s.derivedDefault === true;
}

// Object.entries loses the per-key types; FieldShape restates them with the same optional rule.
export const fieldSchema = z.object(
  Object.fromEntries(
    Object.entries(VARIABLES).flatMap(([name, s]: [string, VariableSpec]) =>
      s.schema ? [[name, isOptional(s) ? s.schema.optional() : s.schema]] : [],
    ),
  ) as unknown as FieldShape,
);

/** The given values plus the table's plain defaults, for the variables `names` that have a schema. */
export function withDefaults(given: GivenVariables, names: readonly VariableName[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const s = spec(name);
    const value = given[name] ?? (s.derivedDefault ? undefined : (s.default ?? undefined));
    if (value !== undefined && s.schema) values[name] = value;
  }
  return values;
}

export function show(name: VariableName, value: string | undefined): string {
  if (value === undefined) return '(not set)';
  switch (spec(name).shown ?? 'plain') {
    case 'secret':
      return '(set)';
    case 'url-with-password':
      return `(got "${redactUrlPassword(value)}")`;
    default:
      return `(got "${value.length > 200 ? `${value.slice(0, 200)}…` : value}")`;
  }
}

/** "NAME: expects … (got …)" for every variable zod rejected, in table order; `rename` spells the name as the admin set it. */
export function invalidValueProblems(
  error: z.ZodError,
  values: Record<string, string>,
  rename: (name: VariableName) => string,
): string[] {
  const names = new Set(error.issues.map((issue) => String(issue.path[0]) as VariableName));
  return (Object.keys(VARIABLES) as VariableName[])
    .filter((name) => names.has(name))
    .map((name) => `${rename(name)}: expects ${spec(name).expects} ${show(name, values[name])}`);
}
