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
import { carddavMount } from './devices/carddavMount';
import { wellKnownCarddav } from '../carddav/router';
import { ldapApi, type LdapApiOptions } from './devices/ldapApi';
import { accessKeysApi } from './devices/accessKeysApi';
import { requireAccessKey } from '../deviceAccess/requireAccessKey';
import { callerIdRouter } from '../callerId/callerIdRoute';
import { phoneBookRouter } from '../phonebook/feedRoute';
import { phoneBooksApi } from './devices/phoneBooksApi';
import { callsHistoryApi, callsIntakeRouter } from './callsApi';
import { CallIntake } from '../calls/callIntake';
import { ContactChanges } from '../sync/outbound/contactChanges';

export interface AppOptions extends LdapApiOptions {
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
  /** Call intake settings (CALLS_* variables); absent: the defaults (unknown callers stay numbers). */
  calls?: { extensionDigits: number; tasks?: 'on' | 'off' };
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
  // Caller ID for PBXs: access key (no body on refusal), empty 200 for anything but a name (callerId/callerIdRoute.ts).
  app.use(
    callerIdRouter({
      db: options.db,
      logger: options.logger,
      defaultCountry: options.defaultCountry,
      authenticate: requireAccessKey({ db: options.db, scope: 'callerid', logger: options.logger, failure: 'empty' }),
    }),
  );
  // Phone books for desk phones: access key with the phonebook scope, streamed, ETag/304 (phonebook/feedRoute.ts).
  app.use(
    phoneBookRouter({
      db: options.db,
      logger: options.logger,
      publicUrl: options.publicUrl,
      defaultCountry: options.defaultCountry,
      authenticate: requireAccessKey({ db: options.db, scope: 'phonebook', logger: options.logger, failure: 'json' }),
    }),
  );
  const bearer = requireBearerToken(options.apiToken, options.authThrottle, options.logger);
  // Call reports from PBXs: the API token or an access key with the calls scope (http/callsApi.ts).
  app.use(
    '/api/v1',
    callsIntakeRouter({
      db: options.db,
      intake: new CallIntake({
        db: options.db,
        logger: options.logger,
        defaultCountry: options.defaultCountry,
        extensionDigits: options.calls?.extensionDigits,
        createUnknownCaller: (e164) => new ContactChanges(options).createForUnknownCaller(e164),
        unknownCallersWanted: () =>
          options.orgs().some((org) => (options.settingsOf(org.id)?.policy.calls.unknownCallers ?? 'none') !== 'none'),
        settingsOf: options.settingsOf,
        logTasks: options.calls?.tasks !== 'off',
        onTasksQueued: options.onWriteBackQueued,
      }),
      bearer,
      accessKey: requireAccessKey({ db: options.db, scope: 'calls', logger: options.logger, failure: 'json' }),
    }),
  );
  const api = express.Router();
  api.use(bearer);
  api.use(jsonBody('256kb'));
  api.use(contactsApi(options));
  api.use(healthApi({ db: options.db, orgIds: () => options.orgs().map((o) => o.id) }));
  api.use(auditApi({ db: options.db }));
  api.use(callsHistoryApi({ db: options.db }));
  api.use(phoneBooksApi({ db: options.db, publicUrl: options.publicUrl }));
  api.use(ldapApi({ ldapMirror: options.ldapMirror }));
  api.use(accessKeysApi({ db: options.db, logger: options.logger }));
  api.use(commandsApi({ commandDesk: (id) => options.commandDesk?.(id) }));
  api.get('/status', (_req, res) => {
    res.json({ demo: options.demo, orgs: options.orgs() });
  });
  app.use('/api/v1', api);
  // CardDAV (RFC 6352): discovery without a key (a fixed redirect), everything under /carddav/ with one.
  app.all('/.well-known/carddav', wellKnownCarddav('/carddav'));
  app.use('/carddav', carddavMount(options));
  app.use(notFound);
  app.use(errorHandler(options.logger));
  return app;
}
