import { toSalesforce, toTelephony } from '../../../src/sync/rules/transforms';

describe('mapping transforms', () => {
  it('normalises phones to E.164 and keeps what is no number as typed', () => {
    expect(toTelephony('(415) 555-2671', { transform: 'E164' }, 'US')).toBe('+14155552671');
    expect(toTelephony('030 1234567', { transform: 'E164' }, 'DE')).toBe('+49301234567');
    expect(toTelephony('ask reception', { transform: 'E164' }, 'US')).toBe('ask reception');
    expect(toSalesforce('+14155552671', { transform: 'E164' })).toBe('+14155552671');
  });

  it('trims (blank becomes null) and changes case, names included', () => {
    expect(toTelephony('  Ada  ', { transform: 'Trim' }, 'US')).toBe('Ada');
    expect(toTelephony('   ', { transform: 'Trim' }, 'US')).toBeNull();
    expect(toTelephony('ceo', { transform: 'Upper' }, 'US')).toBe('CEO');
    expect(toTelephony('ADA@EXAMPLE.COM', { transform: 'Lower' }, 'US')).toBe('ada@example.com');
    expect(toTelephony("mary o'brien-smith", { transform: 'Title' }, 'US')).toBe("Mary O'Brien-Smith");
    expect(toTelephony('ZOË ÅNGSTRÖM', { transform: 'Title' }, 'US')).toBe('Zoë Ångström');
  });

  it('maps picklist values both ways and passes unmapped ones through', () => {
    const spec = { transform: 'PicklistMap' as const, picklistMap: { Hot: 'VIP', Cold: 'Normal' } };
    expect(toTelephony('Hot', spec, 'US')).toBe('VIP');
    expect(toTelephony('Warm', spec, 'US')).toBe('Warm');
    expect(toSalesforce('Normal', spec)).toBe('Cold');
    expect(toSalesforce('Other', spec)).toBe('Other');
  });

  it('sends case-transformed text back as typed, and trims', () => {
    expect(toSalesforce('ceo of things', { transform: 'Upper' })).toBe('ceo of things');
    expect(toSalesforce('  Ada ', { transform: 'Trim' })).toBe('Ada');
  });

  it('leaves null alone whatever the transform', () => {
    for (const transform of ['None', 'E164', 'Trim', 'Upper', 'Lower', 'Title', 'PicklistMap'] as const) {
      expect(toTelephony(null, { transform }, 'US')).toBeNull();
      expect(toSalesforce(null, { transform })).toBeNull();
    }
  });
});
