/** The emulator's SOQL engine: parse + check against the schema, then run against an OrgStore. */
export { compileSoql, MAX_OFFSET, type CompiledQuery, type Column, type CompileOptions } from './compile';
export { SoqlError } from './errors';
export { parseSoql } from './parser';
export { QueryResults } from './results';
export { restRecordShaper, type RestRecord } from './rest-records';
