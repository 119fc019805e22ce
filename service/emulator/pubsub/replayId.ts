/** Replay ids travel as 8-byte big-endian unsigned integers (the Pub/Sub client decodes them so). */
export const REPLAY_ID_BYTES = 8;

export function encodeReplayId(replay: bigint): Buffer {
  const buffer = Buffer.alloc(REPLAY_ID_BYTES);
  buffer.writeBigUInt64BE(replay);
  return buffer;
}

/** undefined for anything that is not exactly 8 bytes. */
export function decodeReplayId(buffer: Uint8Array | undefined | null): bigint | undefined {
  if (!buffer || buffer.length !== REPLAY_ID_BYTES) return undefined;
  return Buffer.from(buffer).readBigUInt64BE();
}
