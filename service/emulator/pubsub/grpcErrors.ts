import * as grpc from '@grpc/grpc-js';

/** The platform's error codes, sent in the `error-code` trailer. */
export const PUBSUB_ERROR_CODES = {
  authError: 'sfdc.platform.eventbus.grpc.service.auth.error',
  authHeadersInvalid: 'sfdc.platform.eventbus.grpc.service.auth.headers.invalid',
  unavailable: 'sfdc.platform.eventbus.grpc.service.unavailable',
  topicNotFound: 'sfdc.platform.eventbus.grpc.topic.not.found',
  topicMismatch: 'sfdc.platform.eventbus.grpc.subscription.fetch.topic.mismatch',
  replayIdCorrupted: 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
  replayIdValidationFailed: 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.validation.failed',
  // UNCONFIRMED: no primary source names the codes below; they follow the platform's pattern.
  schemaNotFound: 'sfdc.platform.eventbus.grpc.schema.not.found',
  publishBatchTooLarge: 'sfdc.platform.eventbus.grpc.publish.batch.limit.exceeded',
  badRequest: 'sfdc.platform.eventbus.grpc.request.invalid',
} as const;

export type PubSubErrorCode = (typeof PUBSUB_ERROR_CODES)[keyof typeof PUBSUB_ERROR_CODES];

/** A gRPC failure as grpc-js sends it: status code, details, and the `error-code` trailer. */
export class PubSubError extends Error implements Partial<grpc.StatusObject> {
  readonly metadata: grpc.Metadata;

  constructor(
    readonly code: grpc.status,
    readonly errorCode: PubSubErrorCode,
    readonly details: string,
  ) {
    super(details);
    this.name = 'PubSubError';
    this.metadata = new grpc.Metadata();
    this.metadata.set('error-code', errorCode);
  }
}

export const unauthenticated = (errorCode: PubSubErrorCode, details: string): PubSubError =>
  new PubSubError(grpc.status.UNAUTHENTICATED, errorCode, details);

export const topicNotFound = (topicName: string): PubSubError =>
  new PubSubError(
    grpc.status.NOT_FOUND,
    PUBSUB_ERROR_CODES.topicNotFound,
    `Topic ${topicName || '(empty)'} not found. Check the topic name and that the user has access to it.`,
  );

export const serviceUnavailable = (details: string): PubSubError =>
  new PubSubError(grpc.status.UNAVAILABLE, PUBSUB_ERROR_CODES.unavailable, details);

/** Anything thrown inside a handler becomes a status: our own errors as they are, the rest as INTERNAL. */
export function toServiceError(err: unknown): PubSubError | grpc.StatusObject {
  if (err instanceof PubSubError) return err;
  const details = err instanceof Error ? err.message : String(err);
  return { code: grpc.status.INTERNAL, details, metadata: new grpc.Metadata() };
}
