import type * as grpc from '@grpc/grpc-js';
import type { EmulatedOrg } from '../org/org';
import type { Actor } from '../org/store';
import { PUBSUB_ERROR_CODES, unauthenticated } from './grpcErrors';

function header(metadata: grpc.Metadata, name: string): string {
  const value = metadata.get(name)[0];
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * Every call carries `accesstoken`, `instanceurl` and `tenantid` metadata. Missing headers, a tenant
 * id that is not this org's (15 or 18 chars), and unknown or expired tokens are refused.
 */
export function authenticateCall(org: EmulatedOrg, metadata: grpc.Metadata): Actor {
  const accessToken = header(metadata, 'accesstoken');
  const instanceUrl = header(metadata, 'instanceurl');
  const tenantId = header(metadata, 'tenantid');
  const missing = [
    ['accesstoken', accessToken],
    ['instanceurl', instanceUrl],
    ['tenantid', tenantId],
  ]
    .filter(([, value]) => value === '')
    .map(([name]) => name);
  if (missing.length > 0) {
    throw unauthenticated(
      PUBSUB_ERROR_CODES.authHeadersInvalid,
      `Missing authentication header(s): ${missing.join(', ')}.`,
    );
  }
  const orgId = org.organizationId;
  const tenantMatches =
    (tenantId.length === 15 && tenantId === orgId.slice(0, 15)) || (tenantId.length === 18 && tenantId === orgId);
  if (!tenantMatches) {
    throw unauthenticated(PUBSUB_ERROR_CODES.authError, `The tenantid header ${tenantId} does not name this org.`);
  }
  const actor = org.verifyToken(accessToken);
  if (!actor) {
    throw unauthenticated(PUBSUB_ERROR_CODES.authError, 'The access token is invalid or expired (accesstoken header).');
  }
  return actor;
}
