import { DeadClaimWatch } from '../../../src/sync/outbound/deadClaims';

describe('DeadClaimWatch: a worker counts as dead only once it has stayed dead', () => {
  it('confirms a worker seen dead for the whole window, and forgets one that came back', () => {
    let now = 1_000;
    const watch = new DeadClaimWatch(500, () => now);
    expect(watch.confirmed(['a', 'b'])).toEqual([]);
    expect(watch.nextConfirmationAt()).toBe(1_500);
    now = 1_499;
    expect(watch.confirmed(['a', 'b'])).toEqual([]);
    // b took its lock again; seen dead once more later, its window starts over.
    now = 1_500;
    expect(watch.confirmed(['a'])).toEqual(['a']);
    now = 1_600;
    expect(watch.confirmed(['a', 'b'])).toEqual(['a']);
    now = 2_099;
    expect(watch.confirmed(['b'])).toEqual([]);
    now = 2_100;
    expect(watch.confirmed(['b'])).toEqual(['b']);
    expect(watch.confirmed([])).toEqual([]);
    expect(watch.nextConfirmationAt()).toBeNull();
  });

  it('with no window, confirms at the first sighting', () => {
    expect(new DeadClaimWatch(0, () => 5).confirmed(['a'])).toEqual(['a']);
  });
});
