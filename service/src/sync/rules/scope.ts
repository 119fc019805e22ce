import { parseQuery, type Query, type WhereClause } from '@jetstreamapp/soql-parser-js';
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

/**
 * Words that would turn a condition into something other than a condition, or that belong to a SELECT
 * list (TYPEOF, FIELDS()), outside string literals. The parser below rejects them too; this names them.
 */
const FORBIDDEN =
  /\b(?:SELECT|FROM|LIMIT|OFFSET|ORDER\s+BY|GROUP\s+BY|HAVING|FOR\s+(?:UPDATE|VIEW|REFERENCE)|WITH|ALL\s+ROWS|UPDATE\s+(?:TRACKING|VIEWSTAT)|UPDATE|USING\s+SCOPE|TYPEOF)\b|\bFIELDS\s*\(/i;

/** Non-ASCII punctuation that looks like SOQL's, with the character the admin meant. */
const LOOK_ALIKES: Record<string, string> = {
  '\uff08': '(',
  '\uff09': ')',
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u2032': "'",
  '\u201c': "'",
  '\u201d': "'",
  '\uff07': "'",
  '\uff1d': '=',
  '\uff1c': '<',
  '\uff1e': '>',
  '\uff01': '!',
  '\uff0c': ',',
  '\uff1a': ':',
  '\uff1b': ';',
  '\uff0e': '.',
  '\u3001': ',',
  '\u2212': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u00a0': ' ',
  '\u3000': ' ',
};

/** The parts of a query the parser returns that come from "SELECT Id FROM X WHERE …" itself. */
const OWN_PARTS = new Set(['fields', 'sObject', 'where']);

function objectOf(field: string): string {
  const entry = Object.entries(SCOPE_FIELDS).find(([, scopeField]) => scopeField === field);
  return entry ? entry[0] : 'Contact';
}

/** What the parser found wrong, in a few words (its own messages list every token it expected). */
function parserComplaint(err: Error): string {
  const lexed = /unexpected character: ->(.*?)<-/s.exec(err.message);
  if (lexed) return `unexpected character "${lexed[1]}"`;
  const found = /but found: '?(.*?)'?$/s.exec(err.message.trim().split('\n').pop() ?? '');
  if (found) return found[1] === '' ? 'it ends too early' : `unexpected "${found[1]}"`;
  return err.message.split('\n')[0];
}

/** Whether a parsed WHERE clause holds a subquery (a semi-join), which the service does not run. */
function hasSubquery(where: WhereClause | undefined): boolean {
  for (let node = where; node; node = 'right' in node ? node.right : undefined) {
    if (node.left && 'valueQuery' in node.left && node.left.valueQuery) return true;
  }
  return false;
}

/** AND/OR words at one parenthesis level of a condition, with where each is (0-based offsets). */
interface Level {
  start: number;
  ops: Array<{ word: string; at: number; end: number }>;
}

/**
 * Salesforce refuses AND and OR side by side at one level without parentheses (the parser above reads
 * them left to right, so it passes). Finds the first level that mixes them, outside string literals, and
 * names it with the two ways of grouping its first switch of operator.
 */
function checkAndOrGrouping(field: string, text: string): void {
  const open: Level[] = [{ start: 0, ops: [] }];
  const check = (level: Level, end: number) => {
    const k = level.ops.findIndex((op, i) => i > 0 && op.word.toUpperCase() !== level.ops[i - 1].word.toUpperCase());
    if (k < 0) return;
    const [before, after] = [level.ops[k - 1], level.ops[k]];
    const part = (from: number, to: number) => text.slice(from, to).trim();
    const left = `(${part(level.start, after.at)}) ${after.word} ${part(after.end, end)}`;
    const right = `${part(level.start, before.at)} ${before.word} (${part(before.end, end)})`;
    throw new ScopeError(
      field,
      `mixes ${before.word} and ${after.word} without parentheses in "${part(level.start, end)}" ` +
        `(${before.word} at position ${before.at + 1}, ${after.word} at position ${after.at + 1}): ` +
        `add parentheses, e.g. "${left}" or "${right}"`,
    );
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      for (i++; i < text.length && text[i] !== "'"; i++) if (text[i] === '\\') i++;
    } else if (ch === '(') {
      open.push({ start: i + 1, ops: [] });
    } else if (ch === ')') {
      check(open.pop() as Level, i);
    } else if (!/\w/.test(text[i - 1] ?? '')) {
      const word = /^(?:AND|OR)\b/i.exec(text.slice(i))?.[0];
      if (word) open[open.length - 1].ops.push({ word, at: i, end: i + word.length });
    }
  }
  check(open[0], text.length);
}

/**
 * Checks that an admin's scope is one boolean SOQL condition and returns it parenthesised (text
 * unchanged), so it can be AND-ed with the service's own conditions without changing their meaning. A
 * scan outside string literals names the usual mistakes (unclosed quotes, unbalanced parentheses, ";",
 * comments, Apex binds, look-alike Unicode punctuation, clauses that escape the WHERE); then the text is
 * parsed as `SELECT Id FROM <object> WHERE <condition>` by a SOQL parser, and anything it rejects, or
 * that parses to more than a WHERE condition, is refused, as is AND beside OR without parentheses
 * (which the parser accepts and Salesforce does not). The org's SOQL parser still has the last word
 * on field names (its error is reported as a configuration problem).
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
    const code = ch.charCodeAt(0);
    if (code > 0x7e || (code < 0x20 && !/\s/.test(ch))) {
      const unicode = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      const meant = LOOK_ALIKES[ch];
      throw new ScopeError(
        field,
        `has "${ch}" (${unicode}) at position ${i + 1} outside a quoted string: ${meant ? `write "${meant}" instead` : 'only ASCII is allowed there'}`,
      );
    }
    const pair = text.slice(i, i + 2);
    if (pair === '/*' || pair === '//' || pair === '--')
      throw new ScopeError(field, `has a comment ("${pair}" at position ${i + 1}): SOQL has none`);
    if (ch === ':' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      const bind = /^:\w+/.exec(text.slice(i))?.[0];
      throw new ScopeError(
        field,
        `has a bind variable ("${bind}" at position ${i + 1}): a scope cannot use Apex binds`,
      );
    }
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) throw new ScopeError(field, `has a ")" without its "(" at position ${i + 1}`);
    if (ch === ';') throw new ScopeError(field, 'must be one condition (";" is not allowed)');
    outsideQuotes += ch;
  }
  if (depth !== 0) throw new ScopeError(field, 'has a "(" that is never closed');
  const clause = FORBIDDEN.exec(outsideQuotes);
  if (clause) throw new ScopeError(field, `must be a WHERE condition only ("${clause[0]}" is not allowed)`);
  let parsed: Query;
  try {
    parsed = parseQuery(`SELECT Id FROM ${objectOf(field)} WHERE ${text}`, { allowApexBindVariables: false });
  } catch (err) {
    throw new ScopeError(field, `is not a valid SOQL condition (${parserComplaint(err as Error)})`);
  }
  const extra = Object.keys(parsed).find((key) => !OWN_PARTS.has(key));
  if (extra) throw new ScopeError(field, `must be a WHERE condition only (it parses with a "${extra}" clause)`);
  if (hasSubquery(parsed.where)) throw new ScopeError(field, 'must not hold a subquery');
  checkAndOrGrouping(field, text);
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
