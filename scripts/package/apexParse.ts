import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApexErrorListener, ApexParserFactory, type ApexParserRuleContext } from '@apexdevtools/apex-parser';
import { displayPath } from './paths';

/**
 * Offline Apex syntax checking with @apexdevtools/apex-parser. The lexer and the parser report to
 * different listeners (a bad string escape is a lexer error, a missing `;` a parser error), so one
 * collecting listener is attached to both; every problem is kept rather than stopping at the first.
 */

export type ApexUnitKind = 'class' | 'trigger';

export interface SyntaxProblem {
  /** 1-based, as editors and `file:line:col` links count. */
  line: number;
  column: number;
  message: string;
}

export interface ParsedApex {
  tree: ApexParserRuleContext;
  problems: SyntaxProblem[];
}

class CollectingErrorListener extends ApexErrorListener {
  readonly problems: SyntaxProblem[] = [];

  apexSyntaxError(line: number, column: number, msg: string): void {
    // ANTLR columns are 0-based.
    this.problems.push({ line, column: column + 1, message: shortenExpectedSet(msg) });
  }
}

/** ANTLR lists every token it would have accepted; past a handful the list hides the message. */
function shortenExpectedSet(message: string): string {
  return message.replace(/expecting \{([^}]*)\}/, (whole, set: string) => {
    const count = set.split(', ').length;
    return count > 8 ? `expecting one of ${count} tokens` : whole;
  });
}

export function unitKindOf(file: string): ApexUnitKind {
  const ext = path.extname(file);
  if (ext === '.cls') return 'class';
  if (ext === '.trigger') return 'trigger';
  throw new Error(`${file}: not an Apex class (.cls) or trigger (.trigger)`);
}

/** Parses a class or trigger body; syntax problems are returned, never thrown. */
export function parseApex(source: string, kind: ApexUnitKind): ParsedApex {
  const listener = new CollectingErrorListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  const tree = kind === 'class' ? parser.compilationUnit() : parser.triggerUnit();
  return { tree, problems: listener.problems };
}

/** `file:line:col message` for every syntax problem in the given files, in file order. */
export function apexSyntaxProblems(files: readonly string[]): string[] {
  return files.flatMap((file) => {
    const { problems } = parseApex(fs.readFileSync(file, 'utf8'), unitKindOf(file));
    return problems.map((p) => `${displayPath(file)}:${p.line}:${p.column} ${p.message}`);
  });
}
