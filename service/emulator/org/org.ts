import { EventEmitter } from 'node:events';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { makeId } from './ids';
import { OrgStore, type Actor } from './store';
import { DEMO_SEED, type SeedCounts } from './seed';

/** 'timeout': the org does the work but the answer never arrives (the connection is cut), as behind a proxy that times out. */
export type HttpFaultKind = '503' | 'REQUEST_LIMIT_EXCEEDED' | 'UNABLE_TO_LOCK_ROW' | 'timeout';

/** What tests switch on to see the service cope: errors, expired tokens, dropped streams. */
export interface FaultSettings {
  /** Share (0..1) of API requests that fail with one of `errorKinds`. */
  errorRate: number;
  errorKinds: HttpFaultKind[];
  /** The next N API requests fail regardless of the rate (deterministic tests use this). */
  failNextRequests: number;
}

export interface EmulatedOrgOptions {
  /** Distinguishes orgs in one process: ids and the org id carry it. */
  orgNumber?: number;
  personAccounts?: boolean;
  seed?: SeedCounts;
  /** Start with the package's "Default sync", active for Contacts, Leads and Person Accounts; default true. */
  seedSync?: boolean;
  /** Access-token lifetime; an expired token gets 401 INVALID_SESSION_ID. */
  tokenTtlSeconds?: number;
  /** Pub/Sub event retention; older replay ids are "corrupted". Salesforce keeps 72 h. */
  retentionHours?: number;
  /** Daily API request allocation reported in Sforce-Limit-Info. */
  dailyApiLimit?: number;
  clientId?: string;
  clientSecret?: string;
}

interface TokenGrant {
  userId: string;
  expiresAt: number;
}

/**
 * One emulated org: its data, its connected app (client id/secret and the JWT certificate), its
 * access tokens, API usage counter, and the faults a test has switched on.
 */
export class EmulatedOrg {
  readonly store: OrgStore;
  readonly orgNumber: number;
  readonly organizationId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The connected app's certificate key pair for the JWT bearer flow (PEM). */
  readonly jwtKeys: { publicKeyPem: string; privateKeyPem: string };
  readonly retentionMs: number;
  tokenTtlMs: number;
  readonly faults: FaultSettings = { errorRate: 0, errorKinds: ['503'], failNextRequests: 0 };
  readonly apiUsage: { used: number; limit: number; day: string };
  /** Users holding the Switchboard integration custom permission: their writes publish no change event. */
  readonly integrationUserIds = new Set<string>();
  private readonly tokens = new Map<string, TokenGrant>();
  private readonly signals = new EventEmitter();

  constructor(options: EmulatedOrgOptions = {}) {
    this.orgNumber = options.orgNumber ?? 1;
    this.store = new OrgStore({
      orgNumber: this.orgNumber,
      personAccounts: options.personAccounts ?? true,
      seed: options.seed ?? DEMO_SEED,
      seedSync: options.seedSync,
    });
    this.organizationId = makeId('00D', this.orgNumber, 1);
    this.clientId = options.clientId ?? `3MVG9emulator${this.orgNumber}.${randomBytes(12).toString('hex')}`;
    this.clientSecret = options.clientSecret ?? randomBytes(24).toString('hex');
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.jwtKeys = {
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    this.tokenTtlMs = (options.tokenTtlSeconds ?? 7200) * 1000;
    this.retentionMs = (options.retentionHours ?? 72) * 3600 * 1000;
    this.apiUsage = { used: 0, limit: options.dailyApiLimit ?? 100_000, day: utcDay() };
    this.integrationUserIds.add(this.integrationUser.userId);
  }

  /** User 0: the service's run-as user, holding the integration permission set. */
  get integrationUser(): Actor {
    return this.actorFor(this.store.idFor('User', 0));
  }

  /** User 1: an administrator, standing in for a person editing in the Salesforce UI. */
  get adminUser(): Actor {
    return this.actorFor(this.store.idFor('User', 1));
  }

  actorFor(userId: string): Actor {
    return { userId, integration: this.integrationUserIds.has(userId) };
  }

  /** Access tokens look like Salesforce's: the org id, '!', then an opaque part. */
  issueToken(userId: string): { accessToken: string; issuedAt: number } {
    const accessToken = `${this.organizationId.slice(0, 15)}!${randomBytes(40).toString('base64url')}`;
    const issuedAt = Date.now();
    this.tokens.set(accessToken, { userId, expiresAt: issuedAt + this.tokenTtlMs });
    return { accessToken, issuedAt };
  }

  /** The user behind a live token, or undefined for unknown and expired ones. */
  verifyToken(accessToken: string): Actor | undefined {
    const grant = this.tokens.get(accessToken);
    if (!grant) return undefined;
    if (grant.expiresAt <= Date.now()) {
      this.tokens.delete(accessToken);
      return undefined;
    }
    return this.actorFor(grant.userId);
  }

  /** Fault injection: every token issued so far stops working at once. */
  expireAllTokens(): void {
    this.tokens.clear();
  }

  /** Counts one API request against the daily allocation (reset at UTC midnight). */
  countApiCall(): void {
    const today = utcDay();
    if (today !== this.apiUsage.day) {
      this.apiUsage.day = today;
      this.apiUsage.used = 0;
    }
    this.apiUsage.used++;
  }

  /** Fault injection: the Pub/Sub server drops every open Subscribe stream (UNAVAILABLE). */
  dropPubSubStreams(): void {
    this.signals.emit('drop-streams');
  }

  onDropPubSubStreams(listener: () => void): () => void {
    this.signals.on('drop-streams', listener);
    return () => this.signals.off('drop-streams', listener);
  }
}

function utcDay(): string {
  return new Date().toISOString().slice(0, 10);
}
