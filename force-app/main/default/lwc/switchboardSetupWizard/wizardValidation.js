/**
 * What keeps the setup wizard on a step: the sync object's validation rules, checked here first so
 * Next can say what is missing, one sentence per problem.
 */

const CRON = /^\S+( +\S+){4}$/;
const COUNTRY = /^[A-Z]{2}$/;
const NAME_MAX_LENGTH = 80;
// The validation rule Minimum_Call_Seconds_Range.
const MAX_MINIMUM_CALL_SECONDS = 3600;

/** Whether a draft value is missing (undefined, null or only spaces). */
export const isBlank = (value) => value === undefined || value === null || String(value).trim() === '';

/**
 * Why a step cannot be left yet, one sentence per problem (none when it is complete).
 * @param {string} step the step's value (see STEPS)
 * @param {{ draft: object, enabledObjects: object[], scopeRows: object[] }} wizard the wizard's state;
 *     enabledObjects and scopeRows are read only by the steps that need them
 * @returns {string[]} the problems
 */
export function stepProblems(step, wizard) {
    const d = wizard.draft;
    const problems = [];
    const need = (condition, message) => {
        if (condition) {
            problems.push(message);
        }
    };
    switch (step) {
        case 'direction':
            need(isBlank(d.name), 'Give the sync a name.');
            need(
                !isBlank(d.name) && d.name.length > NAME_MAX_LENGTH,
                `The name can have at most ${NAME_MAX_LENGTH} characters.`
            );
            need(isBlank(d.direction), 'Choose a direction.');
            break;
        case 'conflict':
            need(isBlank(d.conflictWinner), 'Choose which side wins a conflict.');
            break;
        case 'objects':
            need(wizard.enabledObjects.length === 0, 'Choose at least one object to sync.');
            need(isBlank(d.defaultObject), 'Choose the object for contacts added on the telephony side.');
            break;
        case 'rules':
            need(isBlank(d.matchKeys), 'Choose how records are matched.');
            break;
        case 'scope':
            wizard.scopeRows.forEach((row) => {
                need(row.counting, `Counting the ${row.label} in scope…`);
                need(Boolean(row.error), `${row.label} scope: ${row.error}`);
            });
            break;
        case 'schedule': {
            const threshold = d.massDeleteThreshold;
            need(isBlank(d.frequency), 'Choose how often the scheduled sync runs.');
            need(
                d.frequency === 'Custom' && !CRON.test((d.customSchedule || '').trim()),
                'Enter a custom schedule with five fields, for example 30 2 * * 1-5.'
            );
            need(
                !COUNTRY.test(d.defaultCountry || ''),
                'Enter the default country as two capital letters, for example US.'
            );
            need(
                !(Number.isInteger(threshold) && threshold >= 1 && threshold <= 100),
                'Enter a mass delete threshold between 1 and 100 percent.'
            );
            break;
        }
        case 'calls': {
            const seconds = d.minimumCallSeconds;
            const chosen = d.unknownCallers;
            need(
                !(Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_MINIMUM_CALL_SECONDS),
                `Enter the shortest call logged as whole seconds from 0 to ${MAX_MINIMUM_CALL_SECONDS}.`
            );
            need(isBlank(chosen), 'Choose what a call from an unknown number creates.');
            need(
                (chosen === 'Lead' && !d.syncLeads) || (chosen === 'Contact' && !d.syncContacts),
                `Unknown callers cannot become ${chosen}s: the sync does not sync them.`
            );
            break;
        }
        default:
            break;
    }
    return problems;
}
