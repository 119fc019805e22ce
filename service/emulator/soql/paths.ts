import { fieldsOf, findField, type FieldDef, type SObjectName } from '../org/schema';
import type { FieldValue, OrgStore, SfRecord } from '../org/store';
import type { FieldPathAst } from './ast';
import { soqlErrorAt } from './errors';

/** One hop of a parent relationship: `Account` via `AccountId`, possibly polymorphic (`Who`). */
export interface RelationshipStep {
  /** Canonical relationship name, as it appears in results (`Account`). */
  name: string;
  /** The foreign-key field on the child (`AccountId`). */
  foreignKey: string;
  targets: SObjectName[];
}

/** A field path checked against the schema, with canonical names. */
export interface ResolvedPath {
  /** Canonical dotted path (`Account.Name`): the CSV column name and the sort/compare identity. */
  path: string;
  steps: RelationshipStep[];
  /** Canonical leaf field name. */
  leafName: string;
  /** The leaf's definition (for polymorphic paths: on the first target that has it). */
  leaf: FieldDef;
}

/** Finds parent records by id for relationship paths, remembering recent ones (many children share a parent). */
export class ParentLookup {
  private readonly cache = new Map<string, SfRecord | null>();

  constructor(
    private readonly store: OrgStore,
    private readonly capacity = 10_000,
  ) {}

  get(id: string): SfRecord | null {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const sobject = this.store.sobjectOfId(id);
    // The platform still resolves a parent that is in the recycle bin.
    const record = sobject ? (this.store.get(sobject, id) ?? this.store.getDeleted(sobject, id) ?? null) : null;
    if (this.cache.size >= this.capacity) this.cache.clear();
    this.cache.set(id, record);
    return record;
  }
}

export function resolveFieldPath(
  query: string,
  sobject: SObjectName,
  ast: FieldPathAst,
  personAccounts: boolean,
): ResolvedPath {
  const steps: RelationshipStep[] = [];
  let targets: SObjectName[] = [sobject];
  for (const part of ast.parts.slice(0, -1)) {
    const lower = part.toLowerCase();
    const def = targets
      .flatMap((target) => fieldsOf(target, personAccounts))
      .find((field) => field.relationshipName?.toLowerCase() === lower);
    if (!def || !def.relationshipName || !def.referenceTo) {
      throw soqlErrorAt(
        'INVALID_FIELD',
        query,
        ast.pos,
        `Didn't understand relationship '${part}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    steps.push({ name: def.relationshipName, foreignKey: def.name, targets: def.referenceTo as SObjectName[] });
    targets = def.referenceTo as SObjectName[];
  }
  const leafText = ast.parts[ast.parts.length - 1];
  const leaf = targets.map((target) => findField(target, leafText, personAccounts)).find((def) => def !== undefined);
  if (!leaf) {
    const entity = steps.length === 0 ? sobject : targets[0];
    throw soqlErrorAt(
      'INVALID_FIELD',
      query,
      ast.pos,
      `No such column '${leafText}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const path = [...steps.map((step) => step.name), leaf.name].join('.');
  return { path, steps, leafName: leaf.name, leaf };
}

/** Reads a resolved path from a record: null when any parent on the way is missing. */
export function readPath(path: ResolvedPath, record: SfRecord, parents: ParentLookup): FieldValue {
  let current: SfRecord | null = record;
  for (const step of path.steps) {
    const id: FieldValue | undefined = current[step.foreignKey];
    if (typeof id !== 'string') return null;
    current = parents.get(id);
    if (!current) return null;
  }
  return current[path.leafName] ?? null;
}

/** An accessor specialised for the common direct-field case (no relationship hops). */
export function pathReader(path: ResolvedPath): (record: SfRecord, parents: ParentLookup) => FieldValue {
  if (path.steps.length === 0) {
    const name = path.leafName;
    return (record) => record[name] ?? null;
  }
  return (record, parents) => readPath(path, record, parents);
}
