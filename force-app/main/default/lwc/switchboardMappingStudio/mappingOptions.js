/**
 * The mapping studio's choices: the directory fields a Salesforce field can map to, the transforms
 * (read from their picklist), and the objects mappings exist for.
 */

/** The telephony fields a Salesforce field can map to (the service's TelephonyField). */
export const TELEPHONY_FIELDS = Object.freeze([
    { label: 'First name', value: 'firstName' },
    { label: 'Last name', value: 'lastName' },
    { label: 'Company', value: 'company' },
    { label: 'Title', value: 'title' },
    { label: 'Email', value: 'email' },
    { label: 'Work phone', value: 'phone.work' },
    { label: 'Mobile phone', value: 'phone.mobile' },
    { label: 'Home phone', value: 'phone.home' },
    { label: 'Other phone', value: 'phone.other' }
]);

/**
 * The transform choices, from the Transform__c picklist as getPicklistValues returns it: the picklist
 * is the one list of transforms (the package checks compare the service's with it).
 * @param {{ values: Array<{ label: string, value: string }> }} picklist the picklist's values
 * @returns {Array<{ label: string, value: string }>} the choices, in the picklist's order
 */
export function transformOptionsOf(picklist) {
    return picklist.values.map(({ label, value }) => ({ label, value }));
}

/** The transform whose values are edited as pairs. */
export const PICKLIST_MAP = 'PicklistMap';

/** The only direction a field of a related record can have. */
export const TO_TELEPHONY = 'ToTelephony';

/** The objects mappings exist for; Person Accounts map Account fields. */
export const OBJECTS = [
    { name: 'Contact', label: 'Contacts', flag: 'syncContacts' },
    { name: 'Lead', label: 'Leads', flag: 'syncLeads' },
    { name: 'Account', label: 'Person Accounts', flag: 'syncPersonAccounts' }
];
