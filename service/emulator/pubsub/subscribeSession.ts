import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { ReplayIdError, type EventLog, type StoredEvent } from './eventLog';
import { PUBSUB_ERROR_CODES, PubSubError, toServiceError, topicNotFound } from './grpcErrors';
import type { FetchRequestMessage, FetchResponseMessage } from './proto';
import { encodeReplayId } from './replayId';

export interface SubscribeSessionOptions {
  /** An empty FetchResponse goes out after this long without any response (the platform: within 270 s). */
  keepaliveMs: number;
  /** With nothing requested, the call ends after this long without a FetchRequest. */
  idleTimeoutMs: number;
}

/** The platform treats a larger num_requested as 100. */
export const MAX_NUM_REQUESTED = 100;
/** Keeps a FetchResponse well under gRPC's 4 MB message limit (events are at most 1 MB each). */
const MAX_RESPONSE_PAYLOAD_BYTES = 3 * 1024 * 1024;

type SubscribeCall = grpc.ServerDuplexStream<FetchRequestMessage, FetchResponseMessage>;

/**
 * One Subscribe call: the first FetchRequest names the topic and the start point; every request adds
 * to the number of events the client will take. Events go out as they exist and are wanted; an idle
 * stream gets keepalives carrying the latest replay id.
 */
export class SubscribeSession {
  private topicName: string | undefined;
  /** Replay id of the last event delivered (or the start point). */
  private position = 0n;
  private pending = 0;
  private closed = false;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopListening: (() => void) | undefined;

  constructor(
    private readonly call: SubscribeCall,
    private readonly bus: EventLog,
    private readonly options: SubscribeSessionOptions,
    private readonly onClosed: (session: SubscribeSession) => void,
  ) {
    call.on('data', (request: FetchRequestMessage) => this.guard(() => this.onRequest(request)));
    // The client half-closed or went away: nothing more to send.
    call.on('end', () => this.finish());
    call.on('cancelled', () => this.cleanup());
    this.armIdleTimer();
  }

  /** Ends the call with an error status (and its `error-code` trailer). */
  fail(error: PubSubError | grpc.StatusObject): void {
    if (this.closed) return;
    this.cleanup();
    this.call.emit('error', error);
  }

  /** Ends the call with status OK. */
  finish(): void {
    if (this.closed) return;
    this.cleanup();
    this.call.end();
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (err) {
      this.fail(toServiceError(err));
    }
  }

  private onRequest(request: FetchRequestMessage): void {
    if (this.closed) return;
    if (this.topicName === undefined) this.open(request);
    else if (request.topicName && request.topicName !== this.topicName) {
      throw new PubSubError(
        grpc.status.INVALID_ARGUMENT,
        PUBSUB_ERROR_CODES.topicMismatch,
        `This subscription is on ${this.topicName}; a FetchRequest named ${request.topicName}.`,
      );
    }
    this.pending += Math.min(Math.max(request.numRequested, 0), MAX_NUM_REQUESTED);
    this.deliver();
    this.armIdleTimer();
  }

  /** The first request: topic and start point (replay_preset and replay_id are read only here). */
  private open(request: FetchRequestMessage): void {
    const topicName = request.topicName;
    if (!topicName || !this.bus.hasTopic(topicName)) throw topicNotFound(topicName);
    try {
      this.position =
        request.replayPreset === 'CUSTOM'
          ? this.bus.startPosition(topicName, { preset: 'CUSTOM', replayId: request.replayId })
          : this.bus.startPosition(topicName, { preset: request.replayPreset === 'EARLIEST' ? 'EARLIEST' : 'LATEST' });
    } catch (err) {
      if (!(err instanceof ReplayIdError)) throw err;
      const errorCode =
        err.reason === 'corrupted' ? PUBSUB_ERROR_CODES.replayIdCorrupted : PUBSUB_ERROR_CODES.replayIdValidationFailed;
      throw new PubSubError(grpc.status.INVALID_ARGUMENT, errorCode, err.message);
    }
    this.topicName = topicName;
    this.stopListening = this.bus.onAppend(topicName, () => this.guard(() => this.deliver()));
    this.armKeepalive();
  }

  /** Sends what is both retained and wanted, in responses of bounded size. */
  private deliver(): void {
    const topicName = this.topicName;
    while (!this.closed && topicName !== undefined && this.pending > 0) {
      const batch = this.bounded(this.bus.readAfter(topicName, this.position, this.pending));
      if (batch.length === 0) break;
      this.position = batch[batch.length - 1].replay;
      this.pending -= batch.length;
      this.send(
        batch.map((stored) => ({ event: stored.event, replayId: stored.replayId })),
        batch[batch.length - 1].replayId,
      );
    }
    if (this.pending === 0 && this.idleTimer === undefined) this.armIdleTimer();
  }

  private bounded(events: StoredEvent[]): StoredEvent[] {
    let bytes = 0;
    let count = 0;
    while (
      count < events.length &&
      (count === 0 || bytes + events[count].event.payload.length <= MAX_RESPONSE_PAYLOAD_BYTES)
    ) {
      bytes += events[count].event.payload.length;
      count++;
    }
    return events.slice(0, count);
  }

  private send(events: FetchResponseMessage['events'], latestReplayId: Buffer): void {
    this.call.write({ events, latestReplayId, rpcId: randomUUID(), pendingNumRequested: this.pending });
    this.armKeepalive();
  }

  /**
   * The keepalive's latest replay id: the tip of the topic when everything has been delivered, else
   * the last delivered event, so a client that stores it never skips an undelivered event.
   */
  private keepalive(): void {
    const topicName = this.topicName;
    if (this.closed || topicName === undefined) return;
    if (!this.bus.hasEventsAfter(topicName, this.position)) {
      const tip = this.bus.latest(topicName);
      if (tip > this.position) this.position = tip;
    }
    this.send([], encodeReplayId(this.position));
  }

  private armKeepalive(): void {
    clearTimeout(this.keepaliveTimer);
    if (!this.closed)
      this.keepaliveTimer = setTimeout(() => this.guard(() => this.keepalive()), this.options.keepaliveMs);
  }

  /**
   * Only a stream with nothing requested idles out: the wait starts when the last wanted event went
   * out (or at the start) and restarts with every FetchRequest; keepalives do not count.
   */
  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!this.closed && this.pending === 0) {
      this.idleTimer = setTimeout(() => this.finish(), this.options.idleTimeoutMs);
    }
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.keepaliveTimer);
    clearTimeout(this.idleTimer);
    this.stopListening?.();
    this.onClosed(this);
  }
}
