import type { CompareOp, ConditionAst, FieldPathAst, OrderByAst, QueryAst, SelectAst, ValueAst } from './ast';
import { malformedAt } from './errors';
import { tokenize, type Token } from './lexer';

/** Date literals the emulator evaluates; the `:n` ones take a count. */
export const DATE_LITERALS = new Set(['TODAY', 'YESTERDAY', 'TOMORROW', 'LAST_N_DAYS', 'NEXT_N_DAYS']);
const DATE_LITERALS_WITH_N = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS']);

/** Clauses real SOQL has but the emulator does not: named, so the error says so plainly. */
const UNSUPPORTED_CLAUSES = new Set(['GROUP', 'HAVING', 'FOR', 'USING', 'TYPEOF', 'UPDATE']);

/**
 * Recursive-descent parser for the SOQL subset Switchboard uses. AND and OR chains follow SOQL's
 * rule that mixing them needs parentheses (`a AND b OR c` is MALFORMED_QUERY, as on the platform);
 * NOT binds to the single condition or parenthesised group after it.
 */
export function parseSoql(query: string): QueryAst {
  return new Parser(query).parseQuery();
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly query: string) {
    this.tokens = tokenize(query);
  }

  parseQuery(): QueryAst {
    this.expectKeyword('SELECT');
    const select = this.parseSelect();
    this.expectKeyword('FROM');
    const fromToken = this.next();
    if (fromToken.kind !== 'ident' || fromToken.text.includes('.')) throw this.unexpected(fromToken);
    const ast: QueryAst = { text: this.query, select, from: { name: fromToken.text, pos: fromToken.pos }, orderBy: [] };
    if (this.acceptKeyword('WHERE')) ast.where = this.parseCondition();
    if (this.isKeyword(this.peek(), 'WITH')) this.parseWith();
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      ast.orderBy = this.parseOrderBy();
    }
    if (this.acceptKeyword('LIMIT')) ast.limit = this.parseCount('LIMIT').value;
    if (this.acceptKeyword('OFFSET')) ast.offset = this.parseCount('OFFSET');
    const end = this.peek();
    if (end.kind !== 'eof') {
      const word = end.kind === 'ident' ? end.text.toUpperCase() : '';
      if (UNSUPPORTED_CLAUSES.has(word) || word === 'ALL') {
        throw malformedAt(this.query, end.pos, `${word} is not supported by the org emulator's SOQL engine`);
      }
      throw this.unexpected(end);
    }
    return ast;
  }

  private parseSelect(): SelectAst {
    const first = this.peek();
    if (this.isKeyword(first, 'COUNT') && this.peekAt(1).text === '(') {
      this.index += 2;
      if (this.peek().text !== ')') {
        throw malformedAt(
          this.query,
          first.pos,
          'aggregate functions other than COUNT() are not supported by the org emulator',
        );
      }
      this.index++;
      return { kind: 'count', pos: first.pos };
    }
    const fields: FieldPathAst[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind === 'punct' && token.text === '(') {
        throw malformedAt(this.query, token.pos, 'relationship subqueries are not supported by the org emulator');
      }
      if (token.kind !== 'ident' || this.isReserved(token.text)) throw this.unexpected(token);
      if (this.peek().text === '(') {
        throw malformedAt(this.query, token.pos, `${token.text}() is not supported by the org emulator`);
      }
      fields.push(this.fieldPath(token));
      if (this.peek().text !== ',') break;
      this.index++;
    }
    return { kind: 'fields', fields };
  }

  /** `WITH SECURITY_ENFORCED | USER_MODE | SYSTEM_MODE`: access modes; the emulator has one user view. */
  private parseWith(): void {
    const withToken = this.next();
    const mode = this.next();
    if (mode.kind !== 'ident' || !['SECURITY_ENFORCED', 'USER_MODE', 'SYSTEM_MODE'].includes(mode.text.toUpperCase())) {
      throw malformedAt(this.query, withToken.pos, `WITH ${mode.text} is not supported by the org emulator`);
    }
  }

  private parseOrderBy(): OrderByAst[] {
    const items: OrderByAst[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind !== 'ident' || this.isReserved(token.text)) throw this.unexpected(token);
      const item: OrderByAst = { field: this.fieldPath(token), descending: false };
      if (this.acceptKeyword('DESC')) item.descending = true;
      else this.acceptKeyword('ASC');
      if (this.acceptKeyword('NULLS')) {
        if (this.acceptKeyword('LAST')) item.nullsLast = true;
        else {
          this.expectKeyword('FIRST');
          item.nullsLast = false;
        }
      }
      items.push(item);
      if (this.peek().text !== ',') return items;
      this.index++;
    }
  }

  private parseCount(clause: string): { value: number; pos: number } {
    const token = this.next();
    if (token.kind !== 'number' || !Number.isInteger(token.value) || token.value < 0) {
      throw malformedAt(this.query, token.pos, `${clause} must be a non-negative integer, found '${token.text}'`);
    }
    return { value: token.value, pos: token.pos };
  }

  private parseCondition(): ConditionAst {
    const first = this.parseUnary();
    const joiner = this.peek();
    const op = this.isKeyword(joiner, 'AND') ? 'and' : this.isKeyword(joiner, 'OR') ? 'or' : undefined;
    if (!op) return first;
    const operands = [first];
    while (this.acceptKeyword(op.toUpperCase())) operands.push(this.parseUnary());
    const other = this.peek();
    if (this.isKeyword(other, op === 'and' ? 'OR' : 'AND')) {
      throw malformedAt(
        this.query,
        other.pos,
        `unexpected token: '${other.text}' (SOQL needs parentheses when AND and OR are mixed)`,
      );
    }
    return { kind: op, operands };
  }

  private parseUnary(): ConditionAst {
    if (this.acceptKeyword('NOT')) return { kind: 'not', operand: this.parseUnary() };
    const token = this.peek();
    if (token.kind === 'punct' && token.text === '(') {
      this.index++;
      const inner = this.parseCondition();
      this.expectPunct(')');
      return inner;
    }
    return this.parseFieldExpression();
  }

  private parseFieldExpression(): ConditionAst {
    const token = this.next();
    if (token.kind !== 'ident' || this.isReserved(token.text)) throw this.unexpected(token);
    if (this.peek().text === '(') {
      throw malformedAt(this.query, token.pos, `${token.text}() in WHERE is not supported by the org emulator`);
    }
    const field = this.fieldPath(token);
    const opToken = this.next();
    if (opToken.kind === 'op') {
      const op: CompareOp = opToken.text === '<>' ? '!=' : opToken.text;
      return { kind: 'compare', field, op, value: this.parseValue(), pos: opToken.pos };
    }
    if (this.isKeyword(opToken, 'LIKE')) return { kind: 'like', field, value: this.parseValue(), pos: opToken.pos };
    if (this.isKeyword(opToken, 'IN'))
      return { kind: 'in', field, negated: false, values: this.parseList(), pos: opToken.pos };
    if (this.isKeyword(opToken, 'NOT') && this.acceptKeyword('IN')) {
      return { kind: 'in', field, negated: true, values: this.parseList(), pos: opToken.pos };
    }
    if (this.isKeyword(opToken, 'INCLUDES') || this.isKeyword(opToken, 'EXCLUDES')) {
      throw malformedAt(
        this.query,
        opToken.pos,
        `${opToken.text.toUpperCase()} is only for multi-select picklists, which the emulator does not model`,
      );
    }
    throw this.unexpected(opToken);
  }

  private parseList(): ValueAst[] {
    this.expectPunct('(');
    if (this.isKeyword(this.peek(), 'SELECT')) {
      throw malformedAt(this.query, this.peek().pos, 'semi-join subqueries are not supported by the org emulator');
    }
    const values = [this.parseValue()];
    while (this.peek().text === ',') {
      this.index++;
      values.push(this.parseValue());
    }
    this.expectPunct(')');
    return values;
  }

  private parseValue(): ValueAst {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value, escapedWildcards: token.escapedWildcards, pos: token.pos };
      case 'number':
        return { kind: 'number', value: token.value, text: token.text, pos: token.pos };
      case 'datetime':
        return { kind: 'datetime', value: token.value, text: token.text, pos: token.pos };
      case 'date':
        return { kind: 'date', value: token.value, text: token.text, pos: token.pos };
      case 'ident': {
        const word = token.text.toUpperCase();
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE', pos: token.pos };
        if (word === 'NULL') return { kind: 'null', pos: token.pos };
        if (DATE_LITERALS.has(word)) return this.dateLiteral(word, token.pos);
        if (/^(THIS|LAST|NEXT)_|_N_/.test(word)) {
          throw malformedAt(this.query, token.pos, `date literal ${word} is not supported by the org emulator`);
        }
        throw this.unexpected(token);
      }
      case 'punct':
        if (token.text === ':')
          throw malformedAt(this.query, token.pos, 'bind variables are not allowed in API queries');
        throw this.unexpected(token);
      default:
        throw this.unexpected(token);
    }
  }

  private dateLiteral(name: string, pos: number): ValueAst {
    if (!DATE_LITERALS_WITH_N.has(name)) return { kind: 'dateLiteral', name, text: name, pos };
    const colon = this.next();
    const count = this.next();
    if (colon.text !== ':' || count.kind !== 'number' || !Number.isInteger(count.value) || count.value < 0) {
      throw malformedAt(this.query, pos, `${name} needs a count, as in ${name}:7`);
    }
    return { kind: 'dateLiteral', name, n: count.value, text: `${name}:${count.value}`, pos };
  }

  private fieldPath(token: Extract<Token, { kind: 'ident' }>): FieldPathAst {
    return { text: token.text, parts: token.text.split('.'), pos: token.pos };
  }

  private isReserved(text: string): boolean {
    return ['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'ORDER', 'LIMIT', 'OFFSET', 'LIKE', 'IN'].includes(
      text.toUpperCase(),
    );
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private peekAt(ahead: number): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private isKeyword(token: Token, word: string): boolean {
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(this.peek(), word)) return false;
    this.index++;
    return true;
  }

  private expectKeyword(word: string): void {
    const token = this.next();
    if (!this.isKeyword(token, word)) {
      throw malformedAt(this.query, token.pos, `expecting '${word}', found '${describe(token)}'`);
    }
  }

  private expectPunct(text: '(' | ')'): void {
    const token = this.next();
    if (token.text !== text) {
      throw malformedAt(this.query, token.pos, `expecting '${text}', found '${describe(token)}'`);
    }
  }

  private unexpected(token: Token): Error {
    if (token.kind === 'eof') return malformedAt(this.query, token.pos, 'unexpected end of query');
    return malformedAt(this.query, token.pos, `unexpected token: '${describe(token)}'`);
  }
}

function describe(token: Token): string {
  if (token.kind === 'eof') return '<EOF>';
  return 'text' in token ? token.text : '';
}
