import { malformedAt } from './errors';

export type Token =
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'string'; value: string; escapedWildcards: number[]; text: string; pos: number }
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'datetime'; value: string; text: string; pos: number }
  | { kind: 'date'; value: string; text: string; pos: number }
  | { kind: 'op'; text: '=' | '!=' | '<>' | '<' | '<=' | '>' | '>='; pos: number }
  | { kind: 'punct'; text: '(' | ')' | ',' | ':'; pos: number }
  | { kind: 'eof'; text: ''; pos: number };

const IDENT = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const DATETIME = /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/y;
const DATETIME_PREFIX = /\d{4}-\d{2}-\d{2}T/y;
const DATE = /(\d{4})-(\d{2})-(\d{2})(?![\d:T])/y;
const NUMBER = /[+-]?\d+(?:\.\d+)?(?![\w.])/y;

/** SOQL's string escapes; `\%` and `\_` stay wildcards-made-literal for LIKE. */
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

function matchAt(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < query.length) {
    const ch = query[pos];
    if (/\s/.test(ch)) {
      pos++;
      continue;
    }
    if (ch === "'") {
      const token = readString(query, pos);
      tokens.push(token);
      pos += token.text.length;
      continue;
    }
    const datetime = matchAt(DATETIME, query, pos);
    if (datetime) {
      tokens.push({ kind: 'datetime', value: isoFromDatetime(query, pos, datetime), text: datetime[0], pos });
      pos += datetime[0].length;
      continue;
    }
    if (matchAt(DATETIME_PREFIX, query, pos)) {
      throw malformedAt(
        query,
        pos,
        'invalid dateTime literal: expected YYYY-MM-DDThh:mm:ss[.sss] followed by Z or +hh:mm/-hh:mm',
      );
    }
    const date = matchAt(DATE, query, pos);
    if (date) {
      checkCalendarDate(query, pos, Number(date[1]), Number(date[2]), Number(date[3]));
      tokens.push({ kind: 'date', value: date[0], text: date[0], pos });
      pos += date[0].length;
      continue;
    }
    const number = matchAt(NUMBER, query, pos);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), text: number[0], pos });
      pos += number[0].length;
      continue;
    }
    const ident = matchAt(IDENT, query, pos);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], pos });
      pos += ident[0].length;
      continue;
    }
    const two = query.slice(pos, pos + 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two, pos });
      pos += 2;
      continue;
    }
    if (ch === '=' || ch === '<' || ch === '>') {
      tokens.push({ kind: 'op', text: ch, pos });
      pos++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',' || ch === ':') {
      tokens.push({ kind: 'punct', text: ch, pos });
      pos++;
      continue;
    }
    throw malformedAt(query, pos, `unexpected token: '${ch}'`);
  }
  tokens.push({ kind: 'eof', text: '', pos: query.length });
  return tokens;
}

function readString(query: string, start: number): Extract<Token, { kind: 'string' }> {
  let value = '';
  const escapedWildcards: number[] = [];
  let pos = start + 1;
  while (pos < query.length) {
    const ch = query[pos];
    if (ch === "'") {
      return { kind: 'string', value, escapedWildcards, text: query.slice(start, pos + 1), pos: start };
    }
    if (ch === '\\') {
      const next = query[pos + 1];
      if (next === '%' || next === '_') {
        escapedWildcards.push(value.length);
        value += next;
      } else if (next !== undefined && ESCAPES[next.toLowerCase()] !== undefined) {
        value += ESCAPES[next.toLowerCase()];
      } else {
        throw malformedAt(
          query,
          pos,
          `Invalid string literal '\\${next ?? ''}'. Illegal character sequence '\\${next ?? ''}' in string literal.`,
        );
      }
      pos += 2;
      continue;
    }
    value += ch;
    pos++;
  }
  throw malformedAt(query, start, 'unterminated string literal');
}

function checkCalendarDate(query: string, pos: number, year: number, month: number, day: number): void {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    throw malformedAt(query, pos, `invalid date: ${query.slice(pos, pos + 10)}`);
  }
}

function isoFromDatetime(query: string, pos: number, m: RegExpExecArray): string {
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  checkCalendarDate(query, pos, Number(y), Number(mo), Number(d));
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw malformedAt(query, pos, `invalid time: ${m[0]}`);
  const millis = fraction ? Number(fraction.slice(1).padEnd(3, '0')) : 0;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  const utc =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), millis) - offsetMinutes * 60_000;
  return new Date(utc).toISOString();
}
