/**
 * SOQL failures as the REST API reports them: an errorCode (MALFORMED_QUERY, INVALID_FIELD,
 * INVALID_TYPE, ...) and a message. Like Salesforce, errors tied to a spot in the query repeat the
 * query line with a caret under the column and "ERROR at Row:r:Column:c".
 */
export class SoqlError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'SoqlError';
  }
}

/** An error pointing at character offset `pos` of `query`. */
export function soqlErrorAt(errorCode: string, query: string, pos: number, detail: string): SoqlError {
  const before = query.slice(0, Math.max(0, Math.min(pos, query.length)));
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = query.indexOf('\n', lineStart);
  const line = query.slice(lineStart, lineEnd < 0 ? query.length : lineEnd);
  const column = pos - lineStart + 1;
  return new SoqlError(
    errorCode,
    `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${detail}`,
  );
}

export const malformedAt = (query: string, pos: number, detail: string): SoqlError =>
  soqlErrorAt('MALFORMED_QUERY', query, pos, detail);
