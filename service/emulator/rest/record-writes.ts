import type { Response } from 'express';
import type { EmulatedOrg } from '../org/org';
import type { SObjectName } from '../org/schema';
import type { Actor, DmlResult } from '../org/store';
import { sendSfError } from '../http/context';
import { sendDmlErrors, sendNotFound } from './errors';
import { isPlainObject } from './params';

/**
 * Single-record writes shared by the REST sObject routes (the API user) and the emulator's control
 * routes (a person in the UI): HTTP status and body decided here, sent by `sendOutcome`.
 */
export type WriteOutcome =
  | { kind: 'created'; result: DmlResult }
  | { kind: 'done' }
  | { kind: 'restored'; result: DmlResult }
  | { kind: 'dml-error'; result: DmlResult }
  | { kind: 'not-found' }
  | { kind: 'deleted' }
  | { kind: 'bad-body'; message: string };

export function sendOutcome(res: Response, outcome: WriteOutcome): void {
  switch (outcome.kind) {
    case 'created':
      res.status(201).json({ id: outcome.result.id, success: true, errors: [] });
      return;
    case 'restored':
      res.status(200).json({ id: outcome.result.id, success: true, errors: [] });
      return;
    case 'done':
      res.status(204).end();
      return;
    case 'dml-error':
      sendDmlErrors(res, 400, outcome.result.errors);
      return;
    case 'not-found':
      sendNotFound(res);
      return;
    case 'deleted':
      sendSfError(res, 404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
      return;
    case 'bad-body':
      sendSfError(res, 400, 'JSON_PARSER_ERROR', outcome.message);
      return;
  }
}

const notAnObject = (sobject: SObjectName): WriteOutcome => ({
  kind: 'bad-body',
  message: `The request body must be a JSON object of ${sobject} fields`,
});

/** Update and delete need a live record: a missing one is 404, one in the recycle bin ENTITY_IS_DELETED. */
function missing(org: EmulatedOrg, sobject: SObjectName, id: string): WriteOutcome | undefined {
  if (org.store.get(sobject, id)) return undefined;
  return org.store.getDeleted(sobject, id) ? { kind: 'deleted' } : { kind: 'not-found' };
}

const only = (results: DmlResult[]): DmlResult => results[0];

export function createRecord(org: EmulatedOrg, sobject: SObjectName, body: unknown, actor: Actor): WriteOutcome {
  if (!isPlainObject(body)) return notAnObject(sobject);
  const result = only(org.store.insert(sobject, [body], actor, true));
  return result.success ? { kind: 'created', result } : { kind: 'dml-error', result };
}

export function updateRecord(org: EmulatedOrg, sobject: SObjectName, id: string, body: unknown, actor: Actor): WriteOutcome {
  if (!isPlainObject(body)) return notAnObject(sobject);
  const absent = missing(org, sobject, id);
  if (absent) return absent;
  const result = only(org.store.update(sobject, [{ ...body, Id: id }], actor, true));
  return result.success ? { kind: 'done' } : { kind: 'dml-error', result };
}

export function deleteRecord(org: EmulatedOrg, sobject: SObjectName, id: string, actor: Actor): WriteOutcome {
  const absent = missing(org, sobject, id);
  if (absent) return absent;
  const result = only(org.store.delete(sobject, [id], actor, true));
  return result.success ? { kind: 'done' } : { kind: 'dml-error', result };
}

export function undeleteRecord(org: EmulatedOrg, sobject: SObjectName, id: string, actor: Actor): WriteOutcome {
  if (!org.store.get(sobject, id) && !org.store.getDeleted(sobject, id)) return { kind: 'not-found' };
  const result = only(org.store.undelete(sobject, [id], actor, true));
  return result.success ? { kind: 'restored', result } : { kind: 'dml-error', result };
}
