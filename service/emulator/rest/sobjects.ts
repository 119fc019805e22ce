import express, { type Router } from 'express';
import { actorOf, apiVersionOf, sendSfError } from '../http/context';
import { listParam, sobjectFromUrl } from './params';
import { invalidFieldMessage, recordView, selectFields } from './record-view';
import { createRecord, deleteRecord, sendOutcome, updateRecord } from './record-writes';
import type { RestContext } from './rest-context';

/** One record at a time: `POST /sobjects/:name`, `GET|PATCH|DELETE /sobjects/:name/:id`. */
export function sobjectsRouter(ctx: RestContext): Router {
  const { org } = ctx;
  const router = express.Router();

  router.post('/sobjects/:name', (req, res) => {
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

  router.delete('/sobjects/:name/:id', (req, res) => {
    const sobject = sobjectFromUrl(req.params.name, res);
    if (!sobject) return;
    sendOutcome(res, deleteRecord(org, sobject, req.params.id, actorOf(res)));
  });

  return router;
}
