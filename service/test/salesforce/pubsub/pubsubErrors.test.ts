import { classifyPubSubError } from '../../../src/salesforce/pubsub/pubsubErrors';

/** A grpc-js ServiceError look-alike: code, details and trailers whose get() returns a list. */
function grpcError(code: number, details: string, errorCode?: string) {
  return Object.assign(new Error(`${code} ${details}`), {
    code,
    details,
    metadata: { get: (key: string) => (key === 'error-code' && errorCode !== undefined ? [errorCode] : []) },
  });
}

const PREFIX = 'sfdc.platform.eventbus.grpc.';

describe('classifyPubSubError', () => {
  it.each([
    ['replay-expired', 9, `${PREFIX}subscription.fetch.replayid.corrupted`],
    ['replay-expired', 3, `${PREFIX}subscription.fetch.replayid.validation.failed`],
    ['auth', 2, `${PREFIX}service.auth.error`],
    ['allocation-exhausted', 8, `${PREFIX}subscription.limit.exceeded`],
    ['topic-missing', 5, `${PREFIX}topic.not.found`],
    ['topic-missing', 5, `${PREFIX}topic.meta.permission`],
    ['transient', 14, `${PREFIX}service.unavailable`],
  ])('reads %s from the error-code trailer (grpc %i, %s)', (kind, code, errorCode) => {
    const failure = classifyPubSubError(grpcError(code, 'server said no', errorCode));
    expect(failure).toEqual({ kind, errorCode, grpcCode: code, message: 'server said no' });
  });

  it('accepts an error code without the sfdc prefix', () => {
    expect(classifyPubSubError(grpcError(9, 'x', 'subscription.fetch.replayid.corrupted')).kind).toBe('replay-expired');
  });

  it('falls back to the grpc status when there is no trailer', () => {
    expect(classifyPubSubError(grpcError(16, 'bad token')).kind).toBe('auth');
    expect(classifyPubSubError(grpcError(7, 'denied')).kind).toBe('topic-missing');
    expect(classifyPubSubError(grpcError(14, 'unavailable')).kind).toBe('transient');
    expect(classifyPubSubError(grpcError(14, 'unavailable')).errorCode).toBeNull();
  });

  it('lets the trailer win over the grpc status', () => {
    expect(classifyPubSubError(grpcError(16, 'x', `${PREFIX}subscription.fetch.replayid.corrupted`)).kind).toBe(
      'replay-expired',
    );
  });

  it('treats anything else as transient, including non-errors and broken metadata', () => {
    expect(classifyPubSubError(new Error('socket hang up'))).toEqual({
      kind: 'transient',
      errorCode: null,
      grpcCode: null,
      message: 'socket hang up',
    });
    expect(classifyPubSubError('boom')).toMatchObject({ kind: 'transient', message: 'boom' });
    expect(classifyPubSubError(null).kind).toBe('transient');
    const broken = {
      code: 16,
      message: 'm',
      metadata: {
        get() {
          throw new Error('no');
        },
      },
    };
    expect(classifyPubSubError(broken)).toEqual({ kind: 'auth', errorCode: null, grpcCode: 16, message: 'm' });
  });
});
