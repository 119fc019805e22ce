import { DIRECTION_OPTIONS, optionLabel } from 'c/switchboardUtils';
import { CONFLICT_OPTIONS, DEFAULT_OBJECT_OPTIONS, FREQUENCY_OPTIONS, MATCH_KEY_OPTIONS } from './wizardOptions';
import { isBlank } from './wizardValidation';
import { UNKNOWN_CALLER_OPTIONS } from 'c/switchboardCallLogging';

/**
 * What the setup wizard shows of a draft: a scope step row per synced object (its condition and how
 * many records it selects) and the review step's list of every setting.
 */

const yesNo = (value) => (value ? 'Yes' : 'No');

/** "Inbound and outbound calls, missed ones included", or "None". */
function loggedCalls(d) {
    const directions = [d.logInboundCalls && 'inbound', d.logOutboundCalls && 'outbound'].filter(Boolean);
    if (directions.length === 0) {
        return 'None';
    }
    const text = directions.join(' and ');
    const sentence = `${text.charAt(0).toUpperCase()}${text.slice(1)} calls`;
    return d.logMissedCalls ? `${sentence}, missed ones included` : `${sentence}, answered only`;
}

/**
 * The scope step's row of one object.
 * @param {object} object one of OBJECTS
 * @param {{ count?: number, error?: string, counting?: boolean }} state its latest scope count
 * @param {string} condition its scope condition in the draft
 * @returns {object} the object with inputLabel, condition, counting, countText and error
 */
export function scopeRowOf(object, state, condition) {
    let countText;
    if (state.counting) {
        countText = 'Counting…';
    } else if (state.count !== undefined && !state.error) {
        countText = `${state.count.toLocaleString()} ${object.label} in scope`;
    }
    return {
        ...object,
        inputLabel: `${object.label} scope (SOQL condition without WHERE; blank for all)`,
        condition,
        counting: Boolean(state.counting),
        countText,
        error: state.error
    };
}

/**
 * The review step's label/value pairs, with keys for the template.
 * @param {{ draft: object, enabledObjects: object[], scopeRows: object[] }} wizard the wizard's state
 * @returns {Array<{ label: string, value: string, labelKey: string, valueKey: string }>} the items
 */
export function reviewItemsOf(wizard) {
    const d = wizard.draft;
    const rules = [
        d.requireValidPhone && 'a valid phone number',
        d.requireFirstName && 'a first name',
        d.requireLastName && 'a last name'
    ].filter(Boolean);
    const items = [
        { label: 'Name', value: d.name },
        { label: 'Direction', value: optionLabel(DIRECTION_OPTIONS, d.direction) },
        { label: 'Conflict winner', value: optionLabel(CONFLICT_OPTIONS, d.conflictWinner) },
        { label: 'Objects', value: wizard.enabledObjects.map((object) => object.label).join(', ') },
        {
            label: 'Contacts added on the telephony side become',
            value: optionLabel(DEFAULT_OBJECT_OPTIONS, d.defaultObject)
        },
        { label: 'Records must have', value: rules.length ? rules.join(', ') : 'nothing in particular' },
        { label: 'Match on', value: optionLabel(MATCH_KEY_OPTIONS, d.matchKeys) },
        ...wizard.scopeRows.map((row) => ({
            label: `${row.label} scope`,
            value: `${isBlank(row.condition) ? `All ${row.label}` : row.condition}${row.countText ? ` (${row.countText})` : ''}`
        })),
        {
            label: 'Scheduled sync',
            value:
                d.frequency === 'Custom' ? `Custom: ${d.customSchedule}` : optionLabel(FREQUENCY_OPTIONS, d.frequency)
        },
        { label: 'Default phone country', value: d.defaultCountry },
        { label: 'Salesforce deletions remove directory entries', value: yesNo(d.propagateDeletesToTelephony) },
        { label: 'Directory deletions delete Salesforce records', value: yesNo(d.propagateDeletesToSalesforce) },
        { label: 'Mass delete threshold', value: `${d.massDeleteThreshold} %` },
        { label: 'Calls logged as Tasks', value: loggedCalls(d) },
        { label: 'Shortest answered call logged', value: `${d.minimumCallSeconds} s` },
        { label: 'Unknown callers', value: optionLabel(UNKNOWN_CALLER_OPTIONS, d.unknownCallers) }
    ];
    return items.map((item, index) => ({ ...item, labelKey: `label-${index}`, valueKey: `value-${index}` }));
}
