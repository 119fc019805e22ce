import type { Config, SalesforceConfig } from '../src/config';

/** What a service needs to know of an emulated org to connect to it (the in-process or child-process emulator). */
export interface EmulatedOrgEndpoints {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  pubSubEndpoint: string;
  certPath: string;
}

/** The service's connection settings for an emulated org, signing in with client credentials. */
export function emulatedOrgConfig(org: EmulatedOrgEndpoints, orgName: string): SalesforceConfig {
  return {
    loginUrl: org.loginUrl,
    authFlow: 'client_credentials',
    clientId: org.clientId,
    clientSecret: org.clientSecret,
    apiVersion: '62.0',
    pubSubEndpoint: org.pubSubEndpoint,
    namespace: '',
    extraCaFile: org.certPath,
    orgName,
  };
}

/** A whole loopback service configuration around one emulated org (benchmarks). */
export function serviceConfigFor(org: EmulatedOrgEndpoints, dataDir: string, orgName: string): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    publicUrl: 'http://127.0.0.1',
    dataDir,
    logLevel: 'silent',
    apiToken: 'bench-token-0123456789abcdefghij',
    defaultCountry: 'US',
    writeback: { batchSize: 200, intervalMs: 500 },
    salesforce: emulatedOrgConfig(org, orgName),
  };
}
