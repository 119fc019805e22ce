import type { FieldValue } from '../org/store';

/** Bulk API 2.0's columnDelimiter names. */
export const COLUMN_DELIMITERS = {
  COMMA: ',',
  TAB: '\t',
  PIPE: '|',
  SEMICOLON: ';',
  CARET: '^',
  BACKQUOTE: '`',
} as const;
export type ColumnDelimiter = keyof typeof COLUMN_DELIMITERS;
export type LineEnding = 'LF' | 'CRLF';

export const isColumnDelimiter = (value: unknown): value is ColumnDelimiter =>
  typeof value === 'string' && Object.hasOwn(COLUMN_DELIMITERS, value);
export const isLineEnding = (value: unknown): value is LineEnding => value === 'LF' || value === 'CRLF';

export interface CsvDialect {
  delimiter: string;
  newline: string;
}

export function dialectOf(columnDelimiter: ColumnDelimiter, lineEnding: LineEnding): CsvDialect {
  return { delimiter: COLUMN_DELIMITERS[columnDelimiter], newline: lineEnding === 'CRLF' ? '\r\n' : '\n' };
}

const QUOTE = /"/g;

/**
 * One CSV cell as Bulk API 2.0 writes it (RFC 4180): every value quoted, quotes doubled, so
 * delimiters, quotes and line breaks inside values survive; null is an empty, unquoted cell.
 */
export function csvCell(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return text.includes('"') ? `"${text.replace(QUOTE, '""')}"` : `"${text}"`;
}

export function csvLine(cells: ReadonlyArray<FieldValue | undefined>, dialect: CsvDialect): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += dialect.delimiter;
    line += csvCell(cells[i]);
  }
  return line + dialect.newline;
}
