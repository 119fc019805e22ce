import type { SyncedObject } from '../../model/records';
import type { SyncPolicy } from './context';
import type { SettingsProblem } from './syncSettings';

/** An admin-written scope condition the service will not run, naming the object's scope field. */
export class ScopeError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ScopeError';
  }
}

export const SCOPE_FIELDS: Record<SyncedObject, string> = {
  Contact: 'Contact_Scope__c',
  Lead: 'Lead_Scope__c',
  Account: 'Person_Account_Scope__c',
};

/** Clauses that would turn a condition into something other than a condition. */
const FORBIDDEN =
  /\b(SELECT|FROM|LIMIT|OFFSET|ORDER\s+BY|GROUP\s+BY|HAVING|FOR\s+(UPDATE|VIEW|REFERENCE)|WITH|ALL\s+ROWS|UPDATE\s+TRACKING|USING\s+SCOPE)\b/i;

/**
 * Checks that an admin's scope is one boolean condition — quotes closed, parentheses balanced, no
 * statement separator, no clause that escapes the WHERE — and returns it parenthesised, so it can be
 * AND-ed with the service's own conditions without changing their meaning. The org's SOQL parser still
 * has the last word on field names (its error is reported as a configuration problem).
 */
export function checkScopeCondition(field: string, condition: string): string {
  const text = condition.trim();
  if (text === '') throw new ScopeError(field, 'is empty');
  let depth = 0;
  let outsideQuotes = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      // A SOQL string literal; backslash escapes the next character.
      let j = i + 1;
      for (; j < text.length && text[j] !== "'"; j++) if (text[j] === '\\') j++;
      if (j >= text.length) throw new ScopeError(field, `has a string that is never closed (from position ${i + 1})`);
      outsideQuotes += " '' ";
      i = j;
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) throw new ScopeError(field, `has a ")" without its "(" at position ${i + 1}`);
    if (ch === ';') throw new ScopeError(field, 'must be one condition (";" is not allowed)');
    outsideQuotes += ch;
  }
  if (depth !== 0) throw new ScopeError(field, 'has a "(" that is never closed');
  const clause = FORBIDDEN.exec(outsideQuotes);
  if (clause) throw new ScopeError(field, `must be a WHERE condition only ("${clause[0]}" is not allowed)`);
  return `(${text})`;
}

/**
 * The condition (without "WHERE") selecting one object's in-scope records: Person Accounts only for
 * Account, and the admin's scope. Returns '' when nothing restricts the object. The queries around it
 * (fields, watermarks, order) are written by salesforce/queries/soql.ts, which ANDs its own conditions
 * after this one.
 */
export function scopeWhere(policy: Pick<SyncPolicy, 'scope'>, objectName: SyncedObject): string {
  const parts: string[] = [];
  if (objectName === 'Account') parts.push('IsPersonAccount = true');
  const scope = policy.scope[objectName];
  if (scope) parts.push(checkScopeCondition(SCOPE_FIELDS[objectName], scope));
  return parts.join(' AND ');
}

/**
 * The WHERE clause selecting one object's records that are OUT of scope (Person Accounts only for
 * Account), or null when the object has no scope and so nothing can be out of it. A record leaving scope
 * publishes no event (the trigger sends in-scope records only), so the reconcile finds such records
 * with this.
 */
export function outOfScopeWhere(policy: Pick<SyncPolicy, 'scope'>, objectName: SyncedObject): string | null {
  const scope = policy.scope[objectName];
  if (!scope) return null;
  const parts: string[] = [];
  if (objectName === 'Account') parts.push('IsPersonAccount = true');
  parts.push(`NOT ${checkScopeCondition(SCOPE_FIELDS[objectName], scope)}`);
  return parts.join(' AND ');
}

/** Every scope condition the service would refuse to run, as configuration problems of the sync record. */
export function scopeProblems(syncId: string, policy: Pick<SyncPolicy, 'scope'>): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  for (const [objectName, condition] of Object.entries(policy.scope) as Array<[SyncedObject, string | undefined]>) {
    if (condition === undefined) continue;
    try {
      checkScopeCondition(SCOPE_FIELDS[objectName], condition);
    } catch (err) {
      if (!(err instanceof ScopeError)) throw err;
      problems.push({ recordId: syncId, field: err.field, message: err.reason });
    }
  }
  return problems;
}
