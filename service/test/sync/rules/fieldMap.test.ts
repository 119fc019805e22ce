import type { DirectoryContact } from '../../../src/directory/model';
import {
  DEFAULT_MAPPINGS,
  directoryToSf,
  mappedSfValues,
  mappingsFor,
  sfToDirectory,
  sortPhones,
  type FieldMapping,
} from '../../../src/sync/rules/fieldMap';

type EditableContact = Pick<DirectoryContact, 'firstName' | 'lastName' | 'company' | 'title' | 'email' | 'phones'>;

const contact: EditableContact = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  company: 'Analytical Engines',
  title: 'Analyst',
  email: 'ada@example.com',
  phones: [
    { kind: 'mobile', raw: '(415) 555-0199', e164: null, extension: null },
    { kind: 'work', raw: '(415) 555-2671', e164: '+14155552671', extension: null },
  ],
};

describe('sfToDirectory', () => {
  it('maps a full Contact, company from Account.Name, phones sorted by kind', () => {
    const fields = sfToDirectory(
      DEFAULT_MAPPINGS,
      'Contact',
      {
        FirstName: ' Ada ',
        LastName: 'Lovelace',
        Email: 'ada@example.com',
        Title: '',
        'Account.Name': 'Analytical Engines',
        OtherPhone: '+44 20 7946 0958',
        HomePhone: null,
        MobilePhone: 'n/a',
        Phone: '(415) 555-2671',
      },
      'US',
    );
    expect(fields).toEqual({
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      title: null,
      company: 'Analytical Engines',
      phones: [
        { kind: 'work', raw: '(415) 555-2671', e164: '+14155552671', extension: null },
        { kind: 'mobile', raw: 'n/a', e164: null, extension: null },
        { kind: 'other', raw: '+44 20 7946 0958', e164: '+442079460958', extension: null },
      ],
    });
  });

  it('sets only the fields a partial payload carries', () => {
    expect(sfToDirectory(DEFAULT_MAPPINGS, 'Contact', { Title: 'CTO' }, 'US')).toEqual({ title: 'CTO' });
  });

  it('replaces the phone list when any phone field is present, even if it is blanked', () => {
    expect(sfToDirectory(DEFAULT_MAPPINGS, 'Lead', { MobilePhone: '' }, 'US')).toEqual({ phones: [] });
  });

  it('uses the default country for national numbers', () => {
    const de = sfToDirectory(DEFAULT_MAPPINGS, 'Lead', { Phone: '030 1234567' }, 'DE');
    expect(de.phones?.[0].e164).toBe('+49301234567');
    const us = sfToDirectory(DEFAULT_MAPPINGS, 'Lead', { Phone: '030 1234567' }, 'US');
    expect(us.phones?.[0].e164).toBeNull();
  });

  it('reads Lead.Company and Person Account fields', () => {
    expect(sfToDirectory(DEFAULT_MAPPINGS, 'Lead', { Company: 'Acme' }, 'US')).toEqual({ company: 'Acme' });
    expect(sfToDirectory(DEFAULT_MAPPINGS, 'Account', { PersonEmail: 'p@example.com', Name: 'ignored' }, 'US')).toEqual(
      {
        email: 'p@example.com',
      },
    );
  });

  it('ignores mappings that flow only to Salesforce', () => {
    const mappings: FieldMapping[] = [
      { sobject: 'Contact', sfField: 'Title', telephonyField: 'title', direction: 'toSalesforce' },
    ];
    expect(sfToDirectory(mappings, 'Contact', { Title: 'CTO' }, 'US')).toEqual({});
  });
});

describe('directoryToSf', () => {
  it('writes every mapped Contact field but never Account.Name', () => {
    const out = directoryToSf(DEFAULT_MAPPINGS, 'Contact', contact);
    expect(out).toEqual({
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: 'ada@example.com',
      Title: 'Analyst',
      Phone: '(415) 555-2671',
      MobilePhone: '(415) 555-0199',
      HomePhone: null,
      OtherPhone: null,
    });
    expect(out).not.toHaveProperty('Account.Name');
  });

  it('writes the company of a Lead', () => {
    expect(directoryToSf(DEFAULT_MAPPINGS, 'Lead', contact)).toMatchObject({
      Company: 'Analytical Engines',
      Phone: '(415) 555-2671',
    });
  });

  it('skips mappings that flow only to telephony', () => {
    const mappings: FieldMapping[] = [
      { sobject: 'Lead', sfField: 'Title', telephonyField: 'title', direction: 'toTelephony' },
      { sobject: 'Lead', sfField: 'Email', telephonyField: 'email', direction: 'toSalesforce' },
    ];
    expect(directoryToSf(mappings, 'Lead', contact)).toEqual({ Email: 'ada@example.com' });
  });
});

describe('mappedSfValues', () => {
  it('keeps only mapped fields present in the values, in mapping order', () => {
    const out = mappedSfValues(DEFAULT_MAPPINGS, 'Contact', {
      Phone: '1',
      Department: 'R&D',
      LastName: 'Lovelace',
      'Account.Name': 'Acme',
      FirstName: null,
    });
    expect(out).toEqual({ FirstName: null, LastName: 'Lovelace', 'Account.Name': 'Acme', Phone: '1' });
    expect(Object.keys(out)).toEqual(['FirstName', 'LastName', 'Account.Name', 'Phone']);
  });
});

describe('mappingsFor and sortPhones', () => {
  it('selects one object and sorts work, mobile, home, other', () => {
    expect(mappingsFor(DEFAULT_MAPPINGS, 'Lead').every((m) => m.sobject === 'Lead')).toBe(true);
    expect(mappingsFor(DEFAULT_MAPPINGS, 'Lead')).toHaveLength(7);
    const phones = (['other', 'home', 'work', 'mobile'] as const).map((kind) => ({
      kind,
      raw: kind,
      e164: null,
      extension: null,
    }));
    expect(sortPhones(phones).map((p) => p.kind)).toEqual(['work', 'mobile', 'home', 'other']);
    expect(phones[0].kind).toBe('other');
  });
});

describe('mapping transforms in both directions', () => {
  const mappings = [
    {
      sobject: 'Lead' as const,
      sfField: 'Title',
      telephonyField: 'title' as const,
      direction: 'both' as const,
      transform: 'Upper' as const,
    },
    {
      sobject: 'Lead' as const,
      sfField: 'Rating',
      telephonyField: 'company' as const,
      direction: 'both' as const,
      transform: 'PicklistMap' as const,
      picklistMap: { Hot: 'VIP' },
    },
    {
      sobject: 'Lead' as const,
      sfField: 'Email',
      telephonyField: 'email' as const,
      direction: 'both' as const,
      transform: 'Trim' as const,
    },
  ];

  it('applies each mapping transform on the way to telephony', () => {
    expect(sfToDirectory(mappings, 'Lead', { Title: 'cto', Rating: 'Hot', Email: '  a@b.co ' }, 'US')).toEqual({
      title: 'CTO',
      company: 'VIP',
      email: 'a@b.co',
    });
  });

  it('reads picklist maps backwards and sends one-way transforms back as typed', () => {
    const contact = {
      firstName: null,
      lastName: 'X',
      company: 'VIP',
      title: 'Chief Tech',
      email: 'a@b.co',
      phones: [],
    };
    expect(directoryToSf(mappings, 'Lead', contact)).toEqual({ Title: 'Chief Tech', Rating: 'Hot', Email: 'a@b.co' });
  });
});
