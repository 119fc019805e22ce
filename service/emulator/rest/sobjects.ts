import express, { type Router } from 'express';
import { actorOf, apiVersionOf, sendSfError } from '../http/context';
import { listParam, sobjectFromUrl } from './params';
import { invalidFieldMessage, recordView, selectFields } from './record-view';
import {
  createRecord,
  deleteRecord,
  publishEventRecord,
  sendOutcome,
  updateRecord,
  upsertRecord,
} from './record-writes';
import { packageEventSchemas, type PlatformEventSchema } from '../pubsub/eventSchemas';
import type { RestContext } from './rest-context';

/**
 * One record at a time: `POST /sobjects/:name` (a platform event name publishes it),
 * `GET|PATCH|DELETE /sobjects/:name/:id`, and upsert by external id `PATCH /sobjects/:name/:field/:value`.
 */
export function sobjectsRouter(ctx: RestContext): Router {
  const { org } = ctx;
  const router = express.Router();

  router.post('/sobjects/:name', (req, res) => {
    const event = platformEventNamed(req.params.name);
    if (event) {
      sendOutcome(res, publishEventRecord(org, event, req.body, actorOf(res)));
      return;
    }
    const sobject = sobjectFromUrl(req.params.name, res);
    if (!sobject) return;
    sendOutcome(res, createRecord(org, sobject, req.body, actorOf(res)));
  });

  router.get('/sobjects/:name/:id', (req, res) => {
    const sobject = sobjectFromUrl(req.params.name, res);
    if (!sobject) return;
    const selection = selectFields(sobject, org.store.personAccounts, listParam(req.query.fields));
    if ('invalid' in selection) {
      sendSfError(res, 400, 'INVALID_FIELD', invalidFieldMessage(sobject, selection.invalid), [selection.invalid]);
      return;
    }
    const record = org.store.get(sobject, req.params.id);
    if (!record) {
      sendOutcome(res, { kind: org.store.getDeleted(sobject, req.params.id) ? 'deleted' : 'not-found' });
      return;
    }
    res.json(recordView(sobject, record, selection.fields, apiVersionOf(req)));
  });

  router.patch('/sobjects/:name/:id', (req, res) => {
    const sobject = sobjectFromUrl(req.params.name, res);
    if (!sobject) return;
    sendOutcome(res, updateRecord(org, sobject, req.params.id, req.body, actorOf(res)));
  });

  router.patch('/sobjects/:name/:field/:value', (req, res) => {
    const sobject = sobjectFromUrl(req.params.name, res);
    if (!sobject) return;
    sendOutcome(
      res,
      upsertRecord(org, sobject, req.params.field, req.params.value, req.body, actorOf(res), apiVersionOf(req)),
    );
  });

  router.delete('/sobjects/:name/:id', (req, res) => {
    const sobject = sobjectFromUrl(req.params.name, res);
    if (!sobject) return;
    sendOutcome(res, deleteRecord(org, sobject, req.params.id, actorOf(res)));
  });

  return router;
}

/** The package's platform event with this API name (case-insensitive), if it is one. */
function platformEventNamed(name: string): PlatformEventSchema | undefined {
  const lower = name.toLowerCase();
  return [...packageEventSchemas().values()].find((schema) => schema.eventName.toLowerCase() === lower);
}
