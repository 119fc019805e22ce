import { Connection } from 'jsforce';
import type { Logger } from 'pino';
import { signJwtAssertion } from './jwt';

/** How the service signs in to one org: a connected app with client credentials or a JWT certificate. */
export interface OrgAuthSettings {
  loginUrl: string;
  authFlow: 'client_credentials' | 'jwt';
  clientId: string;
  clientSecret?: string;
  username?: string;
  privateKey?: string;
  apiVersion: string;
}

/** One connected org as the service runs it: how to sign in, where its Pub/Sub API is, its package namespace. */
export interface OrgConnectionSettings extends OrgAuthSettings {
  /** The service's own id for this org connection (stable across restarts). */
  id: string;
  name: string;
  pubSubEndpoint: string;
  namespace: string;
  extraCaPem?: string;
}

export interface SessionInfo {
  accessToken: string;
  instanceUrl: string;
  organizationId: string;
  userId: string;
}

/**
 * An org's signed-in connection (OrgSession.conn), as the other rooms hold it to hand to salesforce/
 * functions: only salesforce/ imports jsforce and calls it.
 */
export type OrgConnection = Connection;

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * One authenticated jsforce connection per org. Neither flow yields a refresh token, so jsforce's
 * refreshFn signs in again when a call meets INVALID_SESSION_ID; listeners hear of every new token
 * (the Pub/Sub subscriber needs it too).
 */
export class OrgSession {
  readonly conn: Connection;
  private info: SessionInfo | undefined;
  private readonly listeners = new Set<(info: SessionInfo) => void>();

  constructor(
    private readonly settings: OrgAuthSettings,
    private readonly logger: Logger,
  ) {
    this.conn = new Connection({
      oauth2: {
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        loginUrl: settings.loginUrl,
      },
      loginUrl: settings.loginUrl,
      version: settings.apiVersion,
      refreshFn: (_conn, callback) => {
        this.signIn().then(
          (info) => callback(undefined, info.accessToken),
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
      },
    });
  }

  get current(): SessionInfo | undefined {
    return this.info;
  }

  onRefresh(listener: (info: SessionInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Signs in (again) and returns the new session. */
  async signIn(): Promise<SessionInfo> {
    const params: { grant_type: string; [name: string]: string } =
      this.settings.authFlow === 'jwt'
        ? {
            grant_type: JWT_GRANT,
            assertion: signJwtAssertion({
              clientId: this.settings.clientId,
              username: this.requireSetting('username'),
              loginUrl: this.settings.loginUrl,
              privateKeyPem: this.requireSetting('privateKey'),
            }),
          }
        : { grant_type: 'client_credentials' };
    try {
      const user = await this.conn.authorize(params);
      const info: SessionInfo = {
        accessToken: this.conn.accessToken ?? '',
        instanceUrl: this.conn.instanceUrl,
        organizationId: user.organizationId,
        userId: user.id,
      };
      this.info = info;
      this.logger.info(
        {
          instanceUrl: info.instanceUrl,
          organizationId: info.organizationId,
          userId: info.userId,
          flow: this.settings.authFlow,
        },
        'signed in to Salesforce',
      );
      for (const listener of this.listeners) listener(info);
      return info;
    } catch (err) {
      throw new SalesforceAuthError(this.settings.loginUrl, this.settings.authFlow, err);
    }
  }

  private requireSetting(name: 'username' | 'privateKey'): string {
    const value = this.settings[name];
    if (!value) throw new Error(`Salesforce ${this.settings.authFlow} sign-in needs ${name}`);
    return value;
  }
}

export class SalesforceAuthError extends Error {
  constructor(loginUrl: string, flow: string, cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`Salesforce sign-in (${flow}) at ${loginUrl} failed: ${detail}`, { cause });
    this.name = 'SalesforceAuthError';
  }
}
