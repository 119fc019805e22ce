import { replayIdFromBytes, replayIdToBytes } from '../../../src/salesforce/pubsub/replayId';

describe('replay ids', () => {
  it.each([0, 1, 255, 256, 123456789, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER])(
    'round-trips %d through 8 big-endian bytes',
    (id) => {
      const bytes = replayIdToBytes(id);
      expect(bytes).toHaveLength(8);
      expect(replayIdFromBytes(bytes)).toBe(id);
    },
  );

  it('is big-endian', () => {
    expect([...replayIdToBytes(258)]).toEqual([0, 0, 0, 0, 0, 0, 1, 2]);
    expect(replayIdFromBytes(Buffer.from([0, 0, 0, 1, 0, 0, 0, 0]))).toBe(2 ** 32);
  });
});
