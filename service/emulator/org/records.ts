import type { SObjectName } from './schema';

/** The record and DML vocabulary every part of the emulator shares (REST, SOQL, Bulk, trigger). */
export type FieldValue = string | number | boolean | null;
export interface SfRecord {
  Id: string;
  [field: string]: FieldValue;
}

/** Who performs a DML: the integration user (holds the echo-suppressing custom permission) or a person. */
export interface Actor {
  userId: string;
  integration: boolean;
}

/** Salesforce's per-record error shape (REST and sObject Collections). */
export interface SfError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface DmlResult {
  id: string | null;
  success: boolean;
  errors: SfError[];
  created: boolean;
}

export type DmlOperation = 'create' | 'update' | 'delete' | 'undelete';

export interface RecordChange {
  before: SfRecord | null;
  after: SfRecord;
}

/** One committed DML statement: what a trigger context sees. */
export interface DmlBatch {
  sobject: SObjectName;
  operation: DmlOperation;
  actor: Actor;
  changes: RecordChange[];
  /**
   * The transaction the statement ran in: the statements of one API call (a REST collection, an
   * upsert's insert and update parts) share it; a statement run alone is its own.
   */
  transaction?: number;
}

export class DmlError extends Error {
  constructor(readonly error: SfError) {
    super(error.message);
  }
}
