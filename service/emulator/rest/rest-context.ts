import type { EmulatedOrg } from '../org/org';

/** What every REST route needs: the org and the server's own URL (known once it listens). */
export interface RestContext {
  org: EmulatedOrg;
  /** `https://localhost:<port>`: the instance URL and the login URL. */
  baseUrl(): string;
}
