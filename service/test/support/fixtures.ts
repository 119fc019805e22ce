/** Small builders for store tests; every value is valid unless a test overrides it. */
import type { ContactFields, DirectoryPhone, PhoneKind } from '../../src/directory/model';
import { upsertOrg, type OrgRow } from '../../src/store/state/orgs';
import type { Queryable } from '../../src/store/types';
import { DEFAULT_MAPPINGS } from '../../src/sync/rules/fieldMap';
import { DEFAULT_POLICY, type OrgSyncSettings } from '../../src/sync/rules/context';

export const ORG_ID = 'org-1';

/** A sync of Contacts with the default mappings and policy, in ORG_ID. */
export const CONTACT_SYNC: OrgSyncSettings = {
  orgId: ORG_ID,
  syncId: 'a0A000000000001AAA',
  mappings: DEFAULT_MAPPINGS,
  defaultCountry: 'US',
  objects: ['Contact'],
  policy: DEFAULT_POLICY,
};

export function seedOrg(q: Queryable, id: string = ORG_ID): Promise<OrgRow> {
  return upsertOrg(q, { id, name: `Org ${id}`, loginUrl: 'https://login.example.com' });
}

export function phone(
  kind: PhoneKind,
  e164: string | null,
  raw?: string,
  extension: string | null = null,
): DirectoryPhone {
  return { kind, raw: raw ?? e164 ?? 'n/a', e164, extension };
}

export function contactFields(overrides: ContactFields = {}): ContactFields {
  return {
    firstName: 'Ada',
    lastName: 'Lovelace',
    company: 'Analytical Engines',
    title: 'Analyst',
    email: 'ada@example.com',
    phones: [phone('work', '+14155552671', '(415) 555-2671')],
    ...overrides,
  };
}
