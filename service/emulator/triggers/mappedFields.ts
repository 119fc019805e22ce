/**
 * The package's shipped default field mappings (Switchboard_Default_Mapping__mdt records), per synced
 * object, in their Sort_Order__c order: the Salesforce side of each mapping, as paths (`Account.Name`
 * follows the AccountId lookup). The emulated trigger reads the records themselves; this list is the
 * reference that the package validation holds the records, and the service's defaults, against.
 */
export const SYNCED_OBJECTS = ['Contact', 'Lead', 'Account'] as const;
export type SyncedObject = (typeof SYNCED_OBJECTS)[number];

export const DEFAULT_MAPPED_FIELDS: Readonly<Record<SyncedObject, readonly string[]>> = {
  Contact: [
    'FirstName',
    'LastName',
    'Email',
    'Title',
    'Account.Name',
    'Phone',
    'MobilePhone',
    'HomePhone',
    'OtherPhone',
  ],
  Lead: ['FirstName', 'LastName', 'Email', 'Title', 'Company', 'Phone', 'MobilePhone'],
  /** Person Accounts only. */
  Account: [
    'FirstName',
    'LastName',
    'PersonEmail',
    'PersonTitle',
    'Phone',
    'PersonMobilePhone',
    'PersonHomePhone',
    'PersonOtherPhone',
  ],
};

export function isSyncedObject(sobject: string): sobject is SyncedObject {
  return (SYNCED_OBJECTS as readonly string[]).includes(sobject);
}
