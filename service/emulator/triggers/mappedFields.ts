/**
 * The package's shipped default field mappings, per synced object: the Salesforce side of each
 * mapping, as paths (`Account.Name` follows the AccountId lookup). A change to any of these fields
 * makes the trigger publish; the payload carries all of them.
 */
export const SYNCED_OBJECTS = ['Contact', 'Lead', 'Account'] as const;
export type SyncedObject = (typeof SYNCED_OBJECTS)[number];

export const DEFAULT_MAPPED_FIELDS: Readonly<Record<SyncedObject, readonly string[]>> = {
  Contact: ['FirstName', 'LastName', 'Email', 'Phone', 'MobilePhone', 'HomePhone', 'OtherPhone', 'Title', 'Account.Name'],
  Lead: ['FirstName', 'LastName', 'Email', 'Phone', 'MobilePhone', 'Title', 'Company'],
  /** Person Accounts only. */
  Account: ['FirstName', 'LastName', 'PersonEmail', 'Phone', 'PersonMobilePhone', 'PersonHomePhone', 'PersonOtherPhone', 'PersonTitle'],
};

export function isSyncedObject(sobject: string): sobject is SyncedObject {
  return (SYNCED_OBJECTS as readonly string[]).includes(sobject);
}
