import { checkValidity, type ValidityInput } from '../../../src/sync/rules/validity';
import { DEFAULT_MAPPINGS, sfToDirectory } from '../../../src/sync/rules/fieldMap';
import type { SfValue, SyncedObject } from '../../../src/model/records';

const ALL_OFF = { requireValidPhone: false, requireFirstName: false, requireLastName: false };

function input(
  values: Record<string, SfValue>,
  rules: Partial<ValidityInput['rules']>,
  sobject: SyncedObject = 'Contact',
): ValidityInput {
  return {
    rules: { ...ALL_OFF, ...rules },
    mappings: DEFAULT_MAPPINGS,
    sobject,
    defaultCountry: 'US',
    values,
    fields: sfToDirectory(DEFAULT_MAPPINGS, sobject, values, 'US'),
  };
}

const contact = {
  FirstName: 'Ada',
  LastName: 'Lovelace',
  Phone: '(415) 555-2671',
  MobilePhone: null,
  HomePhone: null,
  OtherPhone: null,
};

describe('validity rules', () => {
  it('passes a record with a valid phone and both names under every rule', () => {
    expect(
      checkValidity(input(contact, { requireValidPhone: true, requireFirstName: true, requireLastName: true })),
    ).toEqual({ ok: true });
  });

  it('names every phone field and its value when none is a valid number for the default country', () => {
    const verdict = checkValidity(
      input({ ...contact, Phone: '12', MobilePhone: null, OtherPhone: 'ask reception' }, { requireValidPhone: true }),
    );
    expect(verdict).toEqual({
      ok: false,
      code: 'EXCLUDED_NO_VALID_PHONE',
      reason:
        'Phone "12", MobilePhone (empty), HomePhone (empty) and OtherPhone "ask reception" are not valid numbers for US',
    });
  });

  it('is satisfied by any one valid number, whatever the others hold', () => {
    expect(
      checkValidity(input({ ...contact, Phone: '12', MobilePhone: '+44 20 7946 0958' }, { requireValidPhone: true })),
    ).toEqual({ ok: true });
  });

  it('lets an invalid phone through when the rule is off', () => {
    expect(checkValidity(input({ ...contact, Phone: '12' }, { requireValidPhone: false }))).toEqual({ ok: true });
  });

  it('requires the first name only when asked, naming the field', () => {
    const values = { ...contact, FirstName: '  ' };
    expect(checkValidity(input(values, { requireFirstName: false }))).toEqual({ ok: true });
    expect(checkValidity(input(values, { requireFirstName: true }))).toEqual({
      ok: false,
      code: 'EXCLUDED_NO_FIRST_NAME',
      reason: 'FirstName (empty) is empty, and a first name is required',
    });
  });

  it('requires the last name only when asked', () => {
    const values = { ...contact, LastName: null };
    expect(checkValidity(input(values, { requireLastName: false }))).toEqual({ ok: true });
    expect(checkValidity(input(values, { requireLastName: true }))).toMatchObject({
      ok: false,
      code: 'EXCLUDED_NO_LAST_NAME',
    });
  });

  it('reports every failed rule in the reason and the first in the code', () => {
    const verdict = checkValidity(
      input(
        { LastName: null, FirstName: null, Phone: null, MobilePhone: null },
        { requireValidPhone: true, requireFirstName: true, requireLastName: true },
        'Lead',
      ),
    );
    expect(verdict).toEqual({
      ok: false,
      code: 'EXCLUDED_NO_VALID_PHONE',
      reason:
        'Phone (empty) and MobilePhone (empty) are not valid numbers for US; FirstName (empty) is empty, and a first name is required; LastName (empty) is empty, and a last name is required',
    });
  });

  it('says so when no phone field is mapped at all', () => {
    const mappings = DEFAULT_MAPPINGS.filter((m) => !m.telephonyField.startsWith('phone.'));
    const verdict = checkValidity({
      ...input(contact, { requireValidPhone: true }),
      mappings,
      fields: sfToDirectory(mappings, 'Contact', contact, 'US'),
    });
    expect(verdict).toMatchObject({
      ok: false,
      reason: 'no phone field of Contact is mapped to the directory, and a valid phone is required',
    });
  });
});
