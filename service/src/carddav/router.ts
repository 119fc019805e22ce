import express, { Router, type RequestHandler, type Response } from 'express';
import type { Database } from '../store/types';
import type { ContactChanges } from '../sync/outbound/contactChanges';
import { hrefsAt, targetOf } from './paths';
import { badRequest, type CarddavContext } from './responses';
import { propfind } from './propfind';
import { report } from './reports';
import { deleteCard, getCard, putCard } from './writes';
import type { ContactInputCheck } from './vcardInput';
import { XmlBodyError } from './xml';

/**
 * CardDAV (RFC 6352 over RFC 4918 WebDAV, with RFC 6578 sync-collection and RFC 6764 discovery): the directory as
 * an address book softphones and address-book apps sync, read and write.
 *
 * Contract: `carddavRouter(options)` is mounted by http/app.ts at `/carddav` behind nothing else of the API (no
 * bearer token, no JSON body parser); `wellKnownCarddav` answers `/.well-known/carddav`. `authenticate` runs before
 * every request under the mount, OPTIONS included (device access keys, scope `carddav`, as HTTP Basic). Writes go
 * through `changes` exactly like the REST API's POST, PATCH and DELETE of a contact (directory change, outbox rows
 * and audit in one transaction; conflict rules; write-back), after `checkContact`, the REST API's own validation.
 */
export interface CarddavOptions {
  db: Database;
  authenticate: RequestHandler;
  changes: Pick<ContactChanges, 'create' | 'edit' | 'delete'>;
  checkContact: ContactInputCheck;
  /** Where the router is mounted (default `/carddav`): hrefs in answers are absolute paths under it. */
  mount?: string;
  /** The principal's display name for a request (the access key's name); default "CardDAV". */
  principalName?(res: Response): string;
}

/** What the server speaks (RFC 4918 §10.1, RFC 6352 §6.1); OPTIONS answers it. */
const DAV_HEADER = '1, 3, addressbook';
const ALLOW = 'OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, REPORT';
/** Request bodies: a multiget of a few thousand hrefs fits; a PUT is checked against max-resource-size itself. */
const BODY_LIMIT = '2mb';

/**
 * RFC 6764 §5: the well-known URI redirects to the context path. It needs no key: it is the same fixed redirect for
 * everyone, and some clients probe it before they send credentials.
 */
export function wellKnownCarddav(mount = '/carddav'): RequestHandler {
  return (_req, res) => {
    res.redirect(301, `${mount.replace(/\/+$/, '')}/`);
  };
}

export function carddavRouter(options: CarddavOptions): Router {
  const context: CarddavContext = {
    db: options.db,
    hrefs: hrefsAt(options.mount ?? '/carddav'),
    changes: options.changes,
    checkContact: options.checkContact,
  };
  const router = Router();
  router.use(options.authenticate);
  router.use(express.text({ type: () => true, limit: BODY_LIMIT, defaultCharset: 'utf-8' }));
  router.use(async (req, res) => {
    res.set('DAV', DAV_HEADER);
    const target = targetOf(req.path);
    if (target.kind === 'none') {
      res.status(404).type('text/plain').send(`no CardDAV resource at ${req.originalUrl}`);
      return;
    }
    const body = typeof req.body === 'string' ? req.body : '';
    try {
      switch (req.method) {
        case 'OPTIONS':
          res.set('Allow', ALLOW).status(200).end();
          return;
        case 'PROPFIND':
          await propfind(context, req, res, target, body, options.principalName?.(res) ?? 'CardDAV');
          return;
        case 'REPORT':
          await report(context, req, res, target, body);
          return;
        case 'GET':
        case 'HEAD':
          await getCard(context, req, res, target);
          return;
        case 'PUT':
          await putCard(context, req, res, target, body);
          return;
        case 'DELETE':
          await deleteCard(context, req, res, target);
          return;
        default:
          res.set('Allow', ALLOW).status(405).type('text/plain').send(`${req.method} is not supported here`);
      }
    } catch (err) {
      if (err instanceof XmlBodyError) {
        badRequest(res, err.message);
        return;
      }
      throw err;
    }
  });
  return router;
}
