import * as fs from 'node:fs';
import { displayPath, walkFiles } from './paths';

/**
 * A field read with `record.get('Field')` from a record that static SOQL returned must be in that query's
 * SELECT list, or the platform throws SObjectException ("retrieved via SOQL without querying the requested
 * field") at run time — in a person's save when it happens in a trigger. This finds such reads where they can be
 * known from the source alone: a local variable holding the result of an inline query (`X x = [SELECT …]`,
 * `for (X x : [SELECT …])`, or a loop over a list variable that holds one), read with a literal field name in the
 * variable's scope. Reads through constants, dynamic SOQL and other methods are out of its sight: those paths
 * must be safe by construction (SwitchboardPersonAccounts.personRecordIds).
 */
export interface UnqueriedRead {
  file: string;
  line: number;
  variable: string;
  field: string;
  selected: string[];
}

interface Binding {
  variable: string;
  selected: string[];
  /** Source offsets where the variable is in scope. */
  from: number;
  to: number;
}

/** Blanks comments (keeping offsets and line numbers) so commented-out code is not read. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (comment) => comment.replace(/[^\n]/g, ' '));
}

/** The end of the block that encloses `offset`: where the brace depth first drops below the depth there. */
function endOfEnclosingBlock(source: string, offset: number): number {
  let depth = 0;
  for (let i = offset; i < source.length; i += 1) {
    if (source[i] === '{') depth += 1;
    else if (source[i] === '}') {
      depth -= 1;
      if (depth < 0) return i;
    }
  }
  return source.length;
}

/** The outer SELECT list's field names, lower-cased (subqueries and functions left out). */
function selectedFields(soql: string): string[] {
  const match = /^\s*SELECT\s+([\s\S]*?)\s+FROM\s/i.exec(soql);
  if (!match) return [];
  const list = match[1].replace(/\([^()]*\)/g, '');
  return list
    .split(',')
    .map((field) => field.trim().toLowerCase())
    .filter(Boolean);
}

/** The text inside the brackets that start at `open` (nested brackets included). */
function bracketed(source: string, open: number): string {
  let depth = 0;
  for (let i = open; i < source.length; i += 1) {
    if (source[i] === '[') depth += 1;
    else if (source[i] === ']') {
      depth -= 1;
      if (depth === 0) return source.slice(open + 1, i);
    }
  }
  return source.slice(open + 1);
}

function bindings(source: string): Binding[] {
  const found: Binding[] = [];
  const patterns = [
    // Type var = [SELECT ...]  /  var = [SELECT ...]
    /\b([A-Za-z_]\w*)\s*=\s*(\[)\s*SELECT\b/gi,
    // for (Type var : [SELECT ...])
    /\bfor\s*\(\s*[\w<>.,\s]+?\s+([A-Za-z_]\w*)\s*:\s*(\[)\s*SELECT\b/gi,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) {
      const open = (match.index ?? 0) + match[0].lastIndexOf('[');
      const selected = selectedFields(bracketed(source, open));
      const from = match.index ?? 0;
      found.push({ variable: match[1], selected, from, to: endOfEnclosingBlock(source, from) });
    }
  }
  // for (Type item : listVar) where listVar holds a query's rows.
  for (const match of source.matchAll(/\bfor\s*\(\s*[\w<>.,\s]+?\s+([A-Za-z_]\w*)\s*:\s*([A-Za-z_]\w*)\s*\)/g)) {
    const at = match.index ?? 0;
    const list = found.find((b) => b.variable === match[2] && b.from <= at && at < b.to);
    if (list)
      found.push({ variable: match[1], selected: list.selected, from: at, to: endOfEnclosingBlock(source, at) });
  }
  return found;
}

export function unqueriedReadsIn(file: string, text: string = fs.readFileSync(file, 'utf8')): UnqueriedRead[] {
  const source = withoutComments(text);
  const reads: UnqueriedRead[] = [];
  for (const binding of bindings(source)) {
    const scope = source.slice(binding.from, binding.to);
    const getter = new RegExp(`\\b${binding.variable}\\s*\\.\\s*get\\(\\s*'([A-Za-z_][\\w.]*)'\\s*\\)`, 'g');
    for (const read of scope.matchAll(getter)) {
      const field = read[1];
      if (binding.selected.includes(field.toLowerCase())) continue;
      const line = source.slice(0, binding.from + (read.index ?? 0)).split('\n').length;
      reads.push({ file, line, variable: binding.variable, field, selected: binding.selected });
    }
  }
  return reads;
}

/** One line per read of a field its query did not select, in every Apex class and trigger under `root`. */
export function unqueriedFieldProblems(root: string): string[] {
  return walkFiles(root)
    .filter((file) => file.endsWith('.cls') || file.endsWith('.trigger'))
    .flatMap((file) => unqueriedReadsIn(file))
    .map(
      (read) =>
        `${displayPath(read.file)}:${read.line}: ${read.variable}.get('${read.field}') but its query selects ${read.selected.join(', ') || 'nothing'}`,
    );
}
