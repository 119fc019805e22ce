import { callerNumberOf } from '../../src/callerId/callerNumber';

describe('callerNumberOf: the E.164 numbers a PBX may mean', () => {
  const first = (input: string, country: 'DE' | 'US' | 'GB' = 'DE') => callerNumberOf(input, country)?.candidates[0];

  it('reads E.164, with separators and as a Kamailio-decoded " 49…"', () => {
    expect(callerNumberOf('+4930123456', 'DE')).toEqual({ candidates: ['+4930123456'], extension: null });
    expect(first('+49 (30) 123-456')).toBe('+4930123456');
    expect(first('+49.30.123.456', 'US')).toBe('+4930123456');
    expect(first(' 4930123456', 'US')).toBe('+4930123456');
    expect(first('  4930123456', 'US')).toBe('+4930123456');
  });

  it('reads national numbers in the default country', () => {
    expect(first('030 123456')).toBe('+4930123456');
    expect(first('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(first('1 415 555 2671', 'US')).toBe('+14155552671');
    expect(first('020 7946 0018', 'GB')).toBe('+442079460018');
  });

  it('reads digits with an international prefix: 00 anywhere, 011 from NANP', () => {
    expect(first('004930123456')).toBe('+4930123456');
    expect(first('004930123456', 'US')).toBe('+4930123456');
    expect(first('01149301234567', 'US')).toBe('+49301234567');
  });

  it('reads digits whose + a PBX dropped (FreeSWITCH), and asks for both meanings in the likelier order', () => {
    // Germany dials national numbers with a 0: digits without it lost their +.
    expect(callerNumberOf('14155552671', 'DE')?.candidates).toEqual(['+14155552671']);
    expect(callerNumberOf('33123456789', 'DE')?.candidates).toEqual(['+33123456789', '+4933123456789']);
    // NANP: ten digits are a national number first.
    expect(callerNumberOf('4155552671', 'US')?.candidates[0]).toBe('+14155552671');
    expect(first('4930123456', 'US')).toBe('+4930123456');
  });

  it('keeps an extension apart: ;ext=, x, ext., #', () => {
    expect(callerNumberOf('+14155552671;ext=12', 'US')).toEqual({ candidates: ['+14155552671'], extension: '12' });
    expect(callerNumberOf('+1 415 555 2671 x123', 'US')?.extension).toBe('123');
    expect(callerNumberOf('(415) 555-2671 ext. 7', 'US')).toEqual({ candidates: ['+14155552671'], extension: '7' });
    expect(callerNumberOf('030123456#45', 'DE')).toEqual({ candidates: ['+4930123456'], extension: '45' });
  });

  it('reads tel: and sip: URIs', () => {
    expect(callerNumberOf('tel:+1-415-555-2671;ext=9', 'DE')).toEqual({ candidates: ['+14155552671'], extension: '9' });
    expect(first('sip:+4930123456@pbx.example.com;user=phone', 'US')).toBe('+4930123456');
    expect(first('sips:030123456@10.0.0.1')).toBe('+4930123456');
  });

  it('a + inside the number is a separator (a form-encoded space)', () => {
    expect(first('030+123456')).toBe('+4930123456');
    expect(first('+1+415+555+2671', 'DE')).toBe('+14155552671');
  });

  it('answers null for what is no phone number', () => {
    for (const input of [
      '',
      '   ',
      'anonymous',
      'Restricted',
      'unknown',
      '12',
      '+',
      "'; DROP TABLE x",
      '1'.repeat(19),
    ]) {
      expect(callerNumberOf(input, 'DE')).toBeNull();
    }
    expect(callerNumberOf('9'.repeat(200), 'DE')).toBeNull();
    // Digits that are no valid number anywhere.
    expect(callerNumberOf('+999123', 'DE')).toBeNull();
    expect(callerNumberOf('<script>alert(1)</script>', 'US')).toBeNull();
  });
});
