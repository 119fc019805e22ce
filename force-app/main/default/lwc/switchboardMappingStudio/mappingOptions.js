/**
 * The mapping studio's choices: the directory fields a Salesforce field can map to, the transforms,
 * and the objects mappings exist for.
 */

/** The directory fields a Salesforce field can map to (the service's TelField). */
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

/** Transform__c values and their labels. */
export const TRANSFORMS = Object.freeze([
    { label: 'None', value: 'None' },
    { label: 'Phone number to E.164', value: 'E164' },
    { label: 'Trim spaces', value: 'Trim' },
    { label: 'UPPER CASE', value: 'Upper' },
    { label: 'lower case', value: 'Lower' },
    { label: 'Title Case', value: 'Title' },
    { label: 'Picklist map', value: 'PicklistMap' }
]);

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
