/**
 * The setup wizard's steps and the choices it offers: the option lists of the sync's picklists, the
 * objects a sync can cover, and the statuses from which an initial sync may start.
 */

/** The wizard's steps, in order (values are the lightning-progress-step values). */
export const STEPS = [
    { value: 'connection', label: 'Connection' },
    { value: 'direction', label: 'Direction' },
    { value: 'conflict', label: 'Conflict winner' },
    { value: 'objects', label: 'Objects' },
    { value: 'rules', label: 'Validity and matching' },
    { value: 'scope', label: 'Scope' },
    { value: 'schedule', label: 'Schedule and deletes' },
    { value: 'calls', label: 'Call logging' },
    { value: 'review', label: 'Review' }
];

/** Conflict_Winner__c values and their labels. */
export const CONFLICT_OPTIONS = [
    { label: 'Salesforce wins', value: 'Salesforce' },
    { label: 'Telephony wins', value: 'Telephony' }
];

/** Default_Object__c values: what contacts added on the telephony side become. */
export const DEFAULT_OBJECT_OPTIONS = [
    { label: 'Contact', value: 'Contact' },
    { label: 'Lead', value: 'Lead' }
];

/** Match_Keys__c values and their labels. */
export const MATCH_KEY_OPTIONS = [
    { label: 'Phone numbers', value: 'Phone' },
    { label: 'Email address', value: 'Email' },
    { label: 'Phone numbers or email address', value: 'Both' }
];

/** Frequency__c values and their labels. */
export const FREQUENCY_OPTIONS = [
    { label: 'Every 15 minutes', value: 'Every15Minutes' },
    { label: 'Hourly', value: 'Hourly' },
    { label: 'Every 6 hours', value: 'Every6Hours' },
    { label: 'Daily', value: 'Daily' },
    { label: 'Custom schedule', value: 'Custom' }
];

/**
 * The objects a sync can cover: the draft flag that enables each, its scope condition, and the name
 * countScope takes.
 */
export const OBJECTS = [
    { name: 'Contact', flag: 'syncContacts', scopeField: 'contactScope', label: 'Contacts' },
    { name: 'Lead', flag: 'syncLeads', scopeField: 'leadScope', label: 'Leads' },
    { name: 'PersonAccount', flag: 'syncPersonAccounts', scopeField: 'personAccountScope', label: 'Person Accounts' }
];

/**
 * The draft flags for a choice of objects.
 * @param {string[]} chosen the names of the chosen objects
 * @returns {object} every object's flag, true for the chosen ones
 */
export function objectFlags(chosen) {
    const flags = {};
    OBJECTS.forEach((object) => {
        flags[object.flag] = chosen.includes(object.name);
    });
    return flags;
}

/** Statuses in which an initial sync may be started (SwitchboardCommands). */
export const INITIAL_SYNC_STATUSES = ['NotStarted', 'Active', 'Error'];
