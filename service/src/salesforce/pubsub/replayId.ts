/**
 * Replay ids are opaque 8-byte big-endian values. The Pub/Sub client hands them to us as numbers
 * (exact below 2^53, which Salesforce's are); they are stored as the bytes.
 */
export function replayIdToBytes(replayId: number): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(replayId));
  return buf;
}

export function replayIdFromBytes(bytes: Buffer): number {
  return Number(bytes.readBigUInt64BE());
}
