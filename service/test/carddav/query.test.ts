/** carddav/query.ts: addressbook-query filters (RFC 6352 §10.5) on a contact. */
import { matchesFilter, parseFilter, UnsupportedFilterError } from '../../src/carddav/query';
import { parseXml } from '../../src/carddav/xml';
import type { DirectoryContact } from '../../src/directory/model';

const ada: DirectoryContact = {
  id: '3f0c2b1a-1111-4222-8333-444455556666',
  firstName: 'Ada',
  lastName: 'Lovelace',
  company: 'Analytical Engines',
  title: null,
  email: 'ada@example.com',
  phones: [{ kind: 'work', raw: '(415) 555-2671', e164: '+14155552671', extension: null }],
  source: 'salesforce',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};

const filter = (inner: string, test = '') =>
  parseFilter(
    parseXml(`<C:filter xmlns:C="urn:ietf:params:xml:ns:carddav"${test ? ` test="${test}"` : ''}>${inner}</C:filter>`),
  );
const matches = (inner: string, test = '') => matchesFilter(filter(inner, test), ada, ada.id);
const tm = (name: string, text: string, attrs = '') =>
  `<C:prop-filter name="${name}"><C:text-match${attrs}>${text}</C:text-match></C:prop-filter>`;

describe('addressbook-query filters', () => {
  it('matches text on FN, N, EMAIL, ORG and UID with the four match types, case-insensitively by default', () => {
    expect(matches(tm('FN', 'ada love'))).toBe(true);
    expect(matches(tm('FN', 'ADA', ' match-type="starts-with"'))).toBe(true);
    expect(matches(tm('FN', 'Ada', ' match-type="ends-with"'))).toBe(false);
    expect(matches(tm('N', 'lovelace', ' match-type="equals"'))).toBe(true);
    expect(matches(tm('EMAIL', 'example.com', ' match-type="ends-with"'))).toBe(true);
    expect(matches(tm('ORG', 'engines'))).toBe(true);
    expect(matches(tm('UID', ada.id, ' match-type="equals"'))).toBe(true);
    expect(matches(tm('FN', 'ada', ' collation="i;octet"'))).toBe(false);
    expect(matches(tm('FN', 'Ada', ' negate-condition="yes"'))).toBe(false);
  });

  it('matches TEL by digits when the text is a number, in any format', () => {
    expect(matches(tm('TEL', '+1 415 555 2671', ' match-type="equals"'))).toBe(true);
    expect(matches(tm('TEL', '555-2671', ' match-type="ends-with"'))).toBe(true);
    expect(matches(tm('TEL', '(415)'))).toBe(true);
    expect(matches(tm('TEL', '212'))).toBe(false);
  });

  it('combines prop-filters with anyof (default) and allof, and knows is-not-defined', () => {
    const both = tm('FN', 'ada') + tm('ORG', 'nobody');
    expect(matches(both)).toBe(true);
    expect(matches(both, 'allof')).toBe(false);
    expect(matches('<C:prop-filter name="TITLE"><C:is-not-defined/></C:prop-filter>')).toBe(true);
    expect(matches('<C:prop-filter name="EMAIL"><C:is-not-defined/></C:prop-filter>')).toBe(false);
    expect(matches('')).toBe(true);
  });

  it('refuses what it cannot evaluate with the precondition to name', () => {
    const precondition = (inner: string) => {
      try {
        filter(inner);
        return 'accepted';
      } catch (err) {
        return err instanceof UnsupportedFilterError ? err.precondition : 'other';
      }
    };
    expect(precondition(tm('NICKNAME', 'x'))).toBe('supported-filter');
    expect(precondition(tm('FN', 'x', ' collation="i;klingon"'))).toBe('supported-collation');
    expect(precondition('<C:prop-filter name="TEL"><C:param-filter name="TYPE"/></C:prop-filter>')).toBe(
      'supported-filter',
    );
  });
});
