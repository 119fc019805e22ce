import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Database } from '../store/types';
import { pingDatabase } from '../store/db';
import type { SettingsLookup } from '../sync/rules/context';
import type { OrgStatus } from '../runtime/orgStatus';
import { requireBearerToken, type AuthThrottleOptions } from './auth';
import { requireKnownHost } from './hostCheck';
import { jsonBody } from './jsonBody';
import { contactsApi } from './contactsApi';
import { commandsApi } from './commandsApi';
import type { CommandDesk } from '../runtime/commands/commandDesk';
import { errorHandler, notFound } from './errors';
import { homePage } from './home';
import { healthApi } from './healthApi';
import { auditApi } from './auditApi';

export interface AppOptions {
  db: Database;
  logger: Logger;
  apiToken: string;
  demo: boolean;
  publicUrl: string;
  defaultCountry: CountryCode;
  settingsOf: SettingsLookup;
  orgs(): OrgStatus[];
  onWriteBackQueued(orgIds: string[]): void;
  /** The command desk of the org connection an API command goes to (POST /orgs/:orgId/commands); absent: no org takes commands. */
  commandDesk?(orgId: string): Pick<CommandDesk, 'fromApi'> | undefined;
  /** Wrong-token throttling per client; the default suits production (auth.ts). */
  authThrottle?: AuthThrottleOptions;
}

export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(requireKnownHost(options.publicUrl));
  const databaseUp = () =>
    pingDatabase(options.db).then(
      () => true,
      () => false,
    );
  app.get('/', homePage({ demo: options.demo, publicUrl: options.publicUrl, databaseUp }));
  app.get('/healthz', async (_req, res) => {
    // A load balancer takes an instance without its database out of rotation: 503, and the JSON says why.
    // Nothing about the orgs: anyone can ask, and the details are behind the token (GET /api/v1/status).
    const up = await databaseUp();
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down' });
  });
  const api = express.Router();
  api.use(requireBearerToken(options.apiToken, options.authThrottle, options.logger));
  api.use(jsonBody('256kb'));
  api.use(contactsApi(options));
  api.use(healthApi({ db: options.db, orgIds: () => options.orgs().map((o) => o.id) }));
  api.use(auditApi({ db: options.db }));
  api.use(commandsApi({ commandDesk: (id) => options.commandDesk?.(id) }));
  api.get('/status', (_req, res) => {
    res.json({ demo: options.demo, orgs: options.orgs() });
  });
  app.use('/api/v1', api);
  app.use(notFound);
  app.use(errorHandler(options.logger));
  return app;
}
