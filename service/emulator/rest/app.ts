import type { IncomingMessage } from 'node:http';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { EmulatedOrg } from '../org/org';
import { meterApiCalls, requireSession } from './auth';
import { collectionsRouter } from './collections';
import { controlRouter } from './control';
import { describeRouter } from './describe';
import { notFoundRoute, restErrorHandler, sendNotFound } from './errors';
import { injectFaults } from './faults';
import { limitsRouter } from './limits';
import { oauthRouter } from './oauth';
import type { RestContext } from './rest-context';
import { sobjectsRouter } from './sobjects';
import { API_VERSIONS, servedVersion } from './versions';

export interface RestAppOptions {
  /** The server's own URL; called per request, so it may be set after the server listens. */
  baseUrl: () => string;
  /** More routes under `/services/data/vXX.X/` (query, Bulk API 2.0), after auth, metering and faults. */
  routers?: Router[];
  /** Randomness for the fault error rate (tests may pass a seeded one). */
  random?: () => number;
}

/** JSON bodies, also when a client leaves out the content type; CSV and others are left to their routes. */
function jsonBody(): RequestHandler {
  return express.json({
    limit: '50mb',
    type: (req: IncomingMessage) => {
      const type = req.headers['content-type'];
      return type === undefined || /[/+]json\b/i.test(type);
    },
  });
}

const versionGate: RequestHandler = (req, res, next) => {
  if (servedVersion(String(req.params.version)) === undefined) {
    sendNotFound(res);
    return;
  }
  next();
};

/** The emulated org's REST face: OAuth, the versioned data API, and the `/__emulator` controls. */
export function createRestApp(org: EmulatedOrg, options: RestAppOptions): Express {
  const ctx: RestContext = { org, baseUrl: options.baseUrl };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use(oauthRouter(ctx));
  app.get(['/services/data', '/services/data/'], (_req, res) => {
    res.json(API_VERSIONS);
  });

  const api = express.Router();
  api.use(describeRouter(ctx), sobjectsRouter(ctx), collectionsRouter(ctx), limitsRouter(ctx));
  for (const router of options.routers ?? []) api.use(router);
  api.use(notFoundRoute);
  app.use(
    '/services/data/:version',
    versionGate,
    requireSession(org),
    meterApiCalls(org),
    injectFaults(org, options.random),
    jsonBody(),
    api,
  );

  app.use('/__emulator', jsonBody(), controlRouter(ctx));
  app.use(notFoundRoute);
  app.use(restErrorHandler);
  return app;
}
