import { feedEtag, LastModifiedClock, noneMatchHits, notModifiedSince } from '../../src/phonebook/conditional';

describe('phone-book conditional GETs', () => {
  it('gives one ETag per set of inputs', () => {
    expect(feedEtag(['17', 'a'])).toBe(feedEtag(['17', 'a']));
    expect(feedEtag(['18', 'a'])).not.toBe(feedEtag(['17', 'a']));
    expect(feedEtag(['17', 'a'])).toMatch(/^"pb-[A-Za-z0-9_-]{32}"$/);
  });

  it('matches If-None-Match lists, weak tags and *', () => {
    const etag = feedEtag(['1']);
    expect(noneMatchHits(`"x", ${etag}`, etag)).toBe(true);
    expect(noneMatchHits(`W/${etag}`, etag)).toBe(true);
    expect(noneMatchHits('*', etag)).toBe(true);
    expect(noneMatchHits('"other"', etag)).toBe(false);
    expect(noneMatchHits(undefined, etag)).toBe(false);
  });

  it('reads If-Modified-Since at or after Last-Modified as not modified; an unreadable date never', () => {
    const at = Date.parse('Mon, 07 Dec 2026 10:00:00 GMT');
    expect(notModifiedSince('Mon, 07 Dec 2026 10:00:00 GMT', at)).toBe(true);
    expect(notModifiedSince('Mon, 07 Dec 2026 09:59:59 GMT', at)).toBe(false);
    expect(notModifiedSince('yesterday', at)).toBe(false);
  });

  it('keeps Last-Modified while the ETag stays, and moves it strictly later when the ETag changes', () => {
    let now = Date.parse('2026-12-07T10:00:00.400Z');
    const clock = new LastModifiedClock(() => now);
    const first = clock.lastModified('slot', 'e1');
    expect(first).toBe(Date.parse('2026-12-07T10:00:00Z'));
    now += 5_000;
    expect(clock.lastModified('slot', 'e1')).toBe(first);
    // A change within the same second as the last date still gets a later one.
    now = Date.parse('2026-12-07T10:00:00.900Z');
    const clock2 = new LastModifiedClock(() => now);
    const a = clock2.lastModified('slot', 'e1');
    const b = clock2.lastModified('slot', 'e2');
    expect(b).toBeGreaterThan(a);
    expect(clock.lastModified('other', 'e9')).toBe(Date.parse('2026-12-07T10:00:00Z'));
  });

  it('forgets the least recently used requests beyond its size', () => {
    let now = 0;
    const clock = new LastModifiedClock(() => now, 2);
    clock.lastModified('a', 'e');
    clock.lastModified('b', 'e');
    now = 10_000;
    clock.lastModified('a', 'e'); // a is used again: b is the oldest
    clock.lastModified('c', 'e');
    expect(clock.lastModified('a', 'e')).toBe(0);
    expect(clock.lastModified('b', 'e')).toBe(10_000);
  });
});
