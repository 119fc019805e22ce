import { join } from 'node:path';
import { orgConnectionsOf, type Config } from '../service/src/config';
import { exitOnSignals, loadConfigOrExit } from '../service/src/cli/process';
import { createLogger } from '../service/src/log';
import { startService } from '../service/src/service';
import { startEmulator } from '../service/emulator';
import { DEMO_SEED } from '../service/emulator/org/seed';
import { emulatedOrgConfig } from '../service/emulator/serviceConfig';
import type { EmulatedOrg } from '../service/emulator';
import type { CountryCode } from 'libphonenumber-js/max';
import { demoDeviceLines, demoDeviceUrls } from './demoDevices';

/**
 * `npm start`: with Salesforce settings, the real service; without, a demo org in the emulator with a few
 * hundred messy Contacts, Leads and Person Accounts, and the service synced to it on embedded PGlite.
 */
async function main(): Promise<void> {
  let config: Config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel, name: 'switchboard' });
  const closers: Array<() => Promise<void>> = [];
  let demo = false;
  let demoOrg: EmulatedOrg | undefined;

  if (orgConnectionsOf(config).length === 0) {
    demo = true;
    const emulator = await startEmulator({
      certDir: join(config.dataDir, 'emulator'),
      seed: DEMO_SEED,
      personAccounts: true,
    });
    closers.push(() => emulator.close());
    demoOrg = emulator.org;
    config = {
      ...config,
      salesforce: emulatedOrgConfig(emulator, 'Demo org (emulator)'),
    };
    logger.warn(
      { instanceUrl: emulator.instanceUrl },
      'DEMO MODE: no Salesforce org is configured, so Switchboard runs against a demo org in the built-in emulator. ' +
        'Set SF_CLIENT_ID, SF_CLIENT_SECRET, SF_LOGIN_URL (and DATABASE_URL) to connect a real org; see README.md.',
    );
  }

  const service = await startService(config, { logger, demo });
  closers.unshift(() => service.close());

  // The demo's phones and PBX: a key named "demo devices", rotated at every demo start (keys are stored
  // hashed, so the last start's key cannot be shown again), in a phone-book and a caller-ID URL.
  const devices = demoOrg
    ? demoDeviceLines(await demoDeviceUrls(service.db, config.publicUrl, demoOrg, config.defaultCountry as CountryCode))
    : [];
  // Lines start at the margin: tools read `API token:`, `Phone book:` and `Caller ID:` from the line start.
  const lines = [
    '',
    `Switchboard is running${demo ? ' against a DEMO org (emulator)' : ''}.`,
    `Dashboard:  ${service.url}/`,
    `REST API:   ${service.url}/api/v1/contacts`,
    demo
      ? `API token:  ${service.apiToken}   (demo only; also in ${service.apiTokenFile ?? 'SWITCHBOARD_API_TOKEN'})`
      : `API token:  ${service.apiTokenFile ? `in ${service.apiTokenFile}` : 'SWITCHBOARD_API_TOKEN'}`,
    ...devices,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  exitOnSignals(logger, closers);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `Switchboard failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
