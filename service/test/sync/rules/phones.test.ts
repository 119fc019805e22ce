import { e164sOf, normalizePhone, toDirectoryPhone } from '../../../src/sync/rules/phones';

describe('normalizePhone', () => {
  it('formats a national number as E.164 for the default country', () => {
    expect(normalizePhone('(415) 555-2671', 'US')).toEqual({ e164: '+14155552671', extension: null });
  });

  it('keeps an extension apart from the number', () => {
    expect(normalizePhone('(415) 555-2671 x123', 'US')).toEqual({ e164: '+14155552671', extension: '123' });
    expect(normalizePhone('415-555-2671 ext. 9', 'US')).toEqual({ e164: '+14155552671', extension: '9' });
  });

  it('reads the default country for national numbers, and ignores it for +country numbers', () => {
    expect(normalizePhone('030 1234567', 'DE')).toEqual({ e164: '+49301234567', extension: null });
    expect(normalizePhone('030 1234567', 'US').e164).toBeNull();
    expect(normalizePhone('020 7946 0958', 'GB').e164).toBe('+442079460958');
    expect(normalizePhone('+44 20 7946 0958', 'US').e164).toBe('+442079460958');
  });

  it('answers from what it parsed before, each caller with an object of its own, past the answers it keeps', () => {
    const first = normalizePhone('(212) 555-0143', 'US');
    first.e164 = 'changed by a caller';
    expect(normalizePhone('(212) 555-0143', 'US')).toEqual({ e164: '+12125550143', extension: null });
    // More distinct numbers than are kept: the oldest answers go, and are parsed again when asked.
    for (let i = 0; i < 12_000; i++) normalizePhone(`+1 212 555 ${String(i % 10_000).padStart(4, '0')} x${i}`, 'US');
    expect(normalizePhone('(212) 555-0143', 'US')).toEqual({ e164: '+12125550143', extension: null });
    expect(normalizePhone('+1 212 555 0007 x11007', 'US')).toEqual({ e164: '+12125550007', extension: '11007' });
  });

  it('gives no E.164 for numbers that are not valid', () => {
    expect(normalizePhone('12', 'US')).toEqual({ e164: null, extension: null });
    expect(normalizePhone('555-0100', 'US').e164).toBeNull();
    expect(normalizePhone('call reception', 'US').e164).toBeNull();
  });
});

describe('toDirectoryPhone', () => {
  it('trims the raw text and normalizes it', () => {
    expect(toDirectoryPhone('work', '  (415) 555-2671 x123 ', 'US')).toEqual({
      kind: 'work',
      raw: '(415) 555-2671 x123',
      e164: '+14155552671',
      extension: '123',
    });
  });

  it('keeps the raw text of an invalid number with a null E.164', () => {
    expect(toDirectoryPhone('mobile', ' ask front desk ', 'US')).toEqual({
      kind: 'mobile',
      raw: 'ask front desk',
      e164: null,
      extension: null,
    });
  });
});

describe('e164sOf', () => {
  it('lists each E.164 number once and skips invalid ones', () => {
    expect(
      e164sOf([
        { kind: 'work', raw: 'a', e164: '+14155552671', extension: '1' },
        { kind: 'mobile', raw: 'b', e164: null, extension: null },
        { kind: 'home', raw: 'c', e164: '+14155552671', extension: null },
        { kind: 'other', raw: 'd', e164: '+442079460958', extension: null },
      ]),
    ).toEqual(['+14155552671', '+442079460958']);
  });
});
