/** What the subscriber does next depends on which of these a Pub/Sub failure is. */
export type PubSubFailureKind = 'replay-expired' | 'auth' | 'allocation-exhausted' | 'topic-missing' | 'transient';

export interface PubSubFailure {
  kind: PubSubFailureKind;
  /** The `error-code` trailer (sfdc.platform.eventbus.grpc.…) when the server sent one. */
  errorCode: string | null;
  grpcCode: number | null;
  message: string;
}

const PREFIX = 'sfdc.platform.eventbus.grpc.';
const UNAUTHENTICATED = 16;
const PERMISSION_DENIED = 7;

interface GrpcErrorLike {
  code?: unknown;
  details?: unknown;
  message?: unknown;
  metadata?: { get(key: string): unknown[] };
}

export function classifyPubSubError(err: unknown): PubSubFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as GrpcErrorLike;
  const grpcCode = typeof e.code === 'number' ? e.code : null;
  let errorCode: string | null = null;
  try {
    const values = e.metadata?.get('error-code') ?? [];
    errorCode = values.length > 0 ? String(values[0]) : null;
  } catch {
    errorCode = null;
  }
  const message =
    (typeof e.details === 'string' && e.details) || (typeof e.message === 'string' && e.message) || String(err);
  const code = errorCode?.startsWith(PREFIX) ? errorCode.slice(PREFIX.length) : (errorCode ?? '');
  const kind: PubSubFailureKind = code.startsWith('subscription.fetch.replayid')
    ? 'replay-expired'
    : code.startsWith('service.auth') || grpcCode === UNAUTHENTICATED
      ? 'auth'
      : code === 'subscription.limit.exceeded'
        ? 'allocation-exhausted'
        : code === 'topic.not.found' || code === 'topic.meta.permission' || grpcCode === PERMISSION_DENIED
          ? 'topic-missing'
          : 'transient';
  return { kind, errorCode, grpcCode, message };
}
