import type { EmulatedOrg } from '../org/org';
import type { SObjectName } from '../org/schema';
import type { SfRecord } from '../org/store';
import { compileSoql } from '../soql';
import type { ConditionAst } from '../soql/ast';
import { parseSoql } from '../soql/parser';
import { ParentLookup, resolveFieldPath } from '../soql/paths';

/**
 * A sync's scope condition (admin-written SOQL, no WHERE) run by the emulator's SOQL engine, as the
 * handler runs `SELECT Id FROM <object> WHERE Id IN :ids AND (<scope>)`. A condition that does not
 * compile throws a ScopeError; the handler then logs it and publishes nothing for that sync.
 */

export class ScopeError extends Error {
  constructor(
    readonly syncId: string,
    readonly sobject: SObjectName,
    readonly condition: string,
    cause: unknown,
  ) {
    super(
      `sync ${syncId}: the ${sobject} scope condition could not be run, so no change was published: ${(cause as Error).message} (condition: ${condition})`,
    );
    this.name = 'ScopeError';
  }
}

export interface CompiledScope {
  /** Whether a record satisfies the condition (parents read from the org, as a query would). */
  matches(record: SfRecord): boolean;
  /**
   * The object's fields the condition reads (a relationship path counts as its lookup): a change to
   * one of them can move a record into scope, so it is a change worth publishing.
   */
  fieldsRead: string[];
}

function fieldPaths(condition: ConditionAst): Array<Extract<ConditionAst, { field: unknown }>['field']> {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return condition.operands.flatMap(fieldPaths);
    case 'not':
      return fieldPaths(condition.operand);
    default:
      return [condition.field];
  }
}

/** The condition compiled against the org's schema, for one trigger context. */
export function compileScope(org: EmulatedOrg, syncId: string, sobject: SObjectName, condition: string): CompiledScope {
  const personAccounts = org.store.personAccounts;
  const query = `SELECT Id FROM ${sobject} WHERE ${condition}`;
  try {
    const where = compileSoql(query, { personAccounts }).where;
    const ast = parseSoql(query).where;
    const fieldsRead = new Set(
      (ast ? fieldPaths(ast) : []).map((field) => {
        const path = resolveFieldPath(query, sobject, field, personAccounts);
        return path.steps.length > 0 ? path.steps[0].foreignKey : path.leafName;
      }),
    );
    // One lookup per context: records of one DML often share their parents.
    const parents = new ParentLookup(org.store);
    return { matches: (record) => !where || where(record, parents), fieldsRead: [...fieldsRead] };
  } catch (err) {
    throw new ScopeError(syncId, sobject, condition, err);
  }
}
