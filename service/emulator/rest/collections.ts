import express, { type Response, type Router } from 'express';
import { actorOf, apiVersionOf, sendSfError } from '../http/context';
import { parseId } from '../org/ids';
import type { EmulatedOrg } from '../org/org';
import { resolveSObject, type SObjectName } from '../org/schema';
import type { Actor, DmlResult, SfError } from '../org/store';
import { takeDeferredLockFault } from './faults';
import { isPlainObject, listParam, sobjectFromUrl } from './params';
import { invalidFieldMessage, recordView, selectFields } from './record-view';
import type { RestContext } from './rest-context';

/** Documented sObject Collections limits. */
const MAX_SAVE_RECORDS = 200;
const MAX_RETRIEVE_IDS = 2000;
const MAX_CHUNKS = 10;

/** A request Salesforce would refuse as a whole (HTTP 400), before touching any record. */
class BadRequest extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
  }
}

interface SaveResultBody {
  id?: string;
  success: boolean;
  errors: SfError[];
}

/** One input record: ready for DML, or already failed (and reported in its place). */
type Planned = { sobject: SObjectName; row: Record<string, unknown>; id?: string } | { error: SfError };

type Execute = (sobject: SObjectName, rows: Record<string, unknown>[], allOrNone: boolean) => DmlResult[];

const ROLLED_BACK: SfError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

const failed = (error: SfError): SaveResultBody => ({ success: false, errors: [error] });

const toBody = (result: DmlResult): SaveResultBody =>
  result.success && result.id
    ? { id: result.id, success: true, errors: [] }
    : { success: false, errors: result.errors };

function tooMany(count: number, max: number): BadRequest | undefined {
  return count > max
    ? new BadRequest('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${max} records into this call`)
    : undefined;
}

function parseAllOrNone(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new BadRequest('JSON_PARSER_ERROR', `allOrNone must be true or false, got ${JSON.stringify(value)}`, [
    'allOrNone',
  ]);
}

/** `{ allOrNone, records: [{ attributes: { type }, ...fields }] }` → one plan per record, in order. */
function planSaves(body: unknown, operation: 'create' | 'update'): { allOrNone: boolean; planned: Planned[] } {
  if (!isPlainObject(body) || !Array.isArray(body.records)) {
    throw new BadRequest(
      'JSON_PARSER_ERROR',
      'The request body must be a JSON object { "allOrNone": boolean, "records": [...] }',
      ['records'],
    );
  }
  const records: unknown[] = body.records;
  const limit = tooMany(records.length, MAX_SAVE_RECORDS);
  if (limit) throw limit;
  const allOrNone = parseAllOrNone(body.allOrNone);
  const planned = records.map((record, index): Planned => {
    const where = `records[${index}]`;
    if (!isPlainObject(record)) throw new BadRequest('JSON_PARSER_ERROR', `${where} must be a JSON object`, [where]);
    const { attributes, ...row } = record;
    const type = isPlainObject(attributes) ? attributes.type : undefined;
    if (typeof type !== 'string' || type.length === 0) {
      throw new BadRequest('INVALID_TYPE', `${where}: attributes.type is required (the sObject type of the record)`, [
        `${where}.attributes.type`,
      ]);
    }
    const sobject = resolveSObject(type);
    if (!sobject)
      throw new BadRequest('INVALID_TYPE', `${where}: sObject type '${type}' is not supported.`, [
        `${where}.attributes.type`,
      ]);
    if (operation === 'update') {
      const id = typeof row.id === 'string' ? row.id : typeof row.Id === 'string' ? row.Id : '';
      if (id.length === 0)
        return { error: { statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] } };
      return { sobject, row, id };
    }
    return { sobject, row };
  });
  return { allOrNone, planned };
}

/** `?ids=a,b&allOrNone=true` → one plan per id; the id's key prefix names its object. */
function planDeletes(org: EmulatedOrg, query: Record<string, unknown>): { allOrNone: boolean; planned: Planned[] } {
  const ids = listParam(query.ids);
  if (!ids || ids.length === 0)
    throw new BadRequest('MISSING_ARGUMENT', 'The ids parameter is required: ?ids=<id>,<id>', ['ids']);
  const limit = tooMany(ids.length, MAX_SAVE_RECORDS);
  if (limit) throw limit;
  const allOrNone = parseAllOrNone(query.allOrNone);
  const planned = ids.map((id): Planned => {
    if (!parseId(id)) return { error: { statusCode: 'MALFORMED_ID', message: `malformed id ${id}`, fields: [] } };
    const sobject = org.store.sobjectOfId(id);
    if (!sobject)
      return {
        error: { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] },
      };
    return { sobject, row: { Id: id }, id };
  });
  return { allOrNone, planned };
}

/**
 * Runs the plans as Salesforce processes a collection: consecutive records of one type form a chunk,
 * each chunk is one DML statement (one trigger context), at most 10 chunks. With allOrNone, the first
 * failure stops the rest and every record reports rolled back.
 */
function runChunks(planned: Planned[], allOrNone: boolean, execute: Execute): SaveResultBody[] {
  if (allOrNone && planned.some((p) => 'error' in p)) {
    return planned.map((p) => failed('error' in p ? p.error : ROLLED_BACK));
  }
  const chunks: { sobject: SObjectName; indexes: number[] }[] = [];
  planned.forEach((p, index) => {
    if ('error' in p) return;
    const last = chunks[chunks.length - 1];
    if (last && last.sobject === p.sobject) last.indexes.push(index);
    else chunks.push({ sobject: p.sobject, indexes: [index] });
  });
  if (chunks.length > MAX_CHUNKS) {
    throw new BadRequest(
      'INVALID_OPERATION',
      `Cannot have more than ${MAX_CHUNKS} chunks in a single operation. Please rearrange the data to reduce chunking.`,
    );
  }
  const results: SaveResultBody[] = planned.map((p) => failed('error' in p ? p.error : ROLLED_BACK));
  for (const chunk of chunks) {
    const rows = chunk.indexes.map((index) => (planned[index] as { row: Record<string, unknown> }).row);
    const outcome = execute(chunk.sobject, rows, allOrNone);
    chunk.indexes.forEach((index, i) => (results[index] = toBody(outcome[i])));
    // Records of earlier chunks stay committed: the store has no cross-statement transaction.
    if (allOrNone && outcome.some((r) => !r.success)) break;
  }
  return results;
}

/** An injected UNABLE_TO_LOCK_ROW fault: every record of the call fails, none is written. */
function lockedResults(planned: Planned[]): SaveResultBody[] {
  return planned.map((p) => {
    const id = 'error' in p ? undefined : p.id;
    return failed({
      statusCode: 'UNABLE_TO_LOCK_ROW',
      message: `unable to obtain exclusive access to this record${id ? ` or 1 records: ${id}` : ''}`,
      fields: [],
    });
  });
}

function respond(res: Response, work: () => unknown[]): void {
  try {
    res.status(200).json(work());
  } catch (err) {
    if (!(err instanceof BadRequest)) throw err;
    sendSfError(res, 400, err.errorCode, err.message, err.fields);
  }
}

function saveHandler(org: EmulatedOrg, operation: 'create' | 'update', res: Response, body: unknown): void {
  respond(res, () => {
    const { allOrNone, planned } = planSaves(body, operation);
    if (takeDeferredLockFault(res)) return lockedResults(planned);
    const actor: Actor = actorOf(res);
    // One call, one transaction: the change trigger's budget spans its chunks.
    return org.store.transaction(() =>
      runChunks(planned, allOrNone, (sobject, rows, all) =>
        operation === 'create'
          ? org.store.insert(sobject, rows, actor, all)
          : org.store.update(sobject, rows, actor, all),
      ),
    );
  });
}

/**
 * `/composite/sobjects`: create (POST), update (PATCH), delete (DELETE), retrieve (GET/POST /:name) and
 * upsert by external id (PATCH /:name/:externalIdField, API 46.0+).
 */
export function collectionsRouter(ctx: RestContext): Router {
  const { org } = ctx;
  const router = express.Router();

  router.post('/composite/sobjects', (req, res) => saveHandler(org, 'create', res, req.body));
  router.patch('/composite/sobjects', (req, res) => saveHandler(org, 'update', res, req.body));

  router.patch('/composite/sobjects/:name/:field', (req, res) => {
    const sobject = sobjectFromUrl(req.params.name, res);
    if (!sobject) return;
    const def = org.store.externalIdField(sobject, req.params.field);
    if (!def) {
      sendSfError(
        res,
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${req.params.field}`,
      );
      return;
    }
    respond(res, () => {
      const { allOrNone, planned } = planSaves(req.body, 'create');
      const rows = planned.map((p, index): Planned => {
        if ('error' in p) return p;
        if (p.sobject !== sobject) {
          throw new BadRequest(
            'INVALID_TYPE',
            `records[${index}]: only ${sobject} records can be upserted by ${sobject}/${def.name}`,
            [`records[${index}].attributes.type`],
          );
        }
        const idKey = Object.keys(p.row).find((key) => key.toLowerCase() === 'id');
        return idKey
          ? {
              error: {
                statusCode: 'INVALID_FIELD',
                message: `${idKey}: not allowed in an upsert by ${def.name}`,
                fields: [idKey],
              },
            }
          : p;
      });
      if (takeDeferredLockFault(res)) return lockedResults(rows);
      if (allOrNone && rows.some((p) => 'error' in p))
        return rows.map((p) => failed('error' in p ? p.error : ROLLED_BACK));
      const ready = rows.flatMap((p) => ('error' in p ? [] : [p.row]));
      const outcome = org.store.upsert(sobject, def.name, ready, actorOf(res), allOrNone);
      let next = 0;
      return rows.map((p) => {
        if ('error' in p) return failed(p.error);
        const result = outcome[next++];
        return result.success ? { ...toBody(result), created: result.created } : toBody(result);
      });
    });
  });

  router.delete('/composite/sobjects', (req, res) => {
    respond(res, () => {
      const { allOrNone, planned } = planDeletes(org, req.query);
      if (takeDeferredLockFault(res)) return lockedResults(planned);
      const actor = actorOf(res);
      return org.store.transaction(() =>
        runChunks(planned, allOrNone, (sobject, rows, all) =>
          org.store.delete(
            sobject,
            rows.map((row) => String(row.Id)),
            actor,
            all,
          ),
        ),
      );
    });
  });

  const retrieve = (res: Response, name: string, idsValue: unknown, fieldsValue: unknown, version: string): void => {
    const sobject = sobjectFromUrl(name, res);
    if (!sobject) return;
    respond(res, () => {
      const ids = listParam(idsValue);
      if (!ids || ids.length === 0)
        throw new BadRequest('MISSING_ARGUMENT', 'ids is required: the record ids to retrieve', ['ids']);
      const limit = tooMany(ids.length, MAX_RETRIEVE_IDS);
      if (limit) throw limit;
      const names = listParam(fieldsValue);
      if (!names || names.length === 0)
        throw new BadRequest('MISSING_ARGUMENT', 'fields is required: the fields to return', ['fields']);
      const selection = selectFields(sobject, org.store.personAccounts, names);
      if ('invalid' in selection) {
        throw new BadRequest('INVALID_FIELD', invalidFieldMessage(sobject, selection.invalid), [selection.invalid]);
      }
      return ids.map((id) => {
        const record = org.store.get(sobject, id);
        return record ? recordView(sobject, record, selection.fields, version) : null;
      });
    });
  };
  router.get('/composite/sobjects/:name', (req, res) =>
    retrieve(res, req.params.name, req.query.ids, req.query.fields, apiVersionOf(req)),
  );
  router.post('/composite/sobjects/:name', (req, res) => {
    const body: Record<string, unknown> = isPlainObject(req.body) ? req.body : {};
    retrieve(res, req.params.name, body.ids, body.fields, apiVersionOf(req));
  });

  return router;
}
