import { PICKLIST_MAP } from './mappingOptions';
import { isBlank, isRelationshipPath, rowProblems, rowWarnings } from './mappingRules';

/**
 * The mapping studio's rows: made from the stored mappings (picklist maps as value pairs), decorated
 * for the template, and turned back into what saveMappings takes.
 */

/** The key/value pairs of a stored picklist map, or the reason it cannot be read. */
function parsePicklistMap(json) {
    if (isBlank(json)) {
        return { pairs: [] };
    }
    try {
        const map = JSON.parse(json);
        if (!map || typeof map !== 'object' || Array.isArray(map)) {
            return { pairs: [], mapError: 'The stored picklist map is not a JSON object; enter its values again.' };
        }
        return { pairs: Object.entries(map).map(([from, to]) => ({ from, to: String(to) })) };
    } catch (error) {
        return {
            pairs: [],
            mapError: `The stored picklist map is not valid JSON (${error.message}); enter its values again.`
        };
    }
}

/**
 * An editable row of a stored (or new) mapping.
 * @param {object} mapping a mapping as getMappings returns it (or just { salesforceObject } for a new one)
 * @param {string} key the row's unique key
 * @returns {object} the row
 */
export function rowOf(mapping, key) {
    const { pairs, mapError } = parsePicklistMap(mapping.picklistMap);
    return {
        key,
        mappingId: mapping.mappingId || null,
        salesforceObject: mapping.salesforceObject,
        salesforceField: mapping.salesforceField || null,
        telephonyField: mapping.telephonyField || null,
        direction: mapping.direction || 'Both',
        transform: mapping.transform || 'None',
        required: Boolean(mapping.required),
        serverWarning: mapping.warning,
        pairs,
        mapError
    };
}

/**
 * The Salesforce field choices of a row: its object's fields, and its current field even when the
 * user cannot see it.
 * @param {object[]} [options] the field options of the row's object
 * @param {string} currentField the row's field
 * @returns {Array<{ label: string, value: string }>} the choices
 */
export function fieldChoices(options, currentField) {
    const choices = (options || []).map((option) => ({
        label: `${option.label} (${option.apiName})`,
        value: option.apiName
    }));
    if (currentField && !choices.some((choice) => choice.value === currentField)) {
        choices.push({ label: `${currentField} (not available to you)`, value: currentField });
    }
    return choices;
}

/**
 * A row as the template shows it: labels, field choices, picklist pairs, warnings and problems.
 * @param {object} row the row
 * @param {number} index its position among its object's rows
 * @param {{ label: string }} object one of OBJECTS
 * @param {object} fieldOptions per object name, its field options (once loaded)
 * @returns {object} the decorated row
 */
export function decoratedRow(row, index, object, fieldOptions) {
    const number = index + 1;
    return {
        ...row,
        legend: `${object.label} mapping ${number}`,
        removeLabel: `Remove ${object.label} mapping ${number}`,
        fieldOptions: fieldChoices(fieldOptions[row.salesforceObject], row.salesforceField),
        locked: isRelationshipPath(row.salesforceField),
        isPicklistMap: row.transform === PICKLIST_MAP,
        pairRows: row.pairs.map((pair, pairIndex) => ({
            ...pair,
            index: pairIndex,
            key: `${row.key}-pair-${pairIndex}`,
            fromLabel: `Salesforce value ${pairIndex + 1}`,
            toLabel: `Telephony value ${pairIndex + 1}`,
            removeLabel: `Remove value ${pairIndex + 1}`
        })),
        warnings: rowWarnings(row, fieldOptions[row.salesforceObject]),
        problems: rowProblems(row)
    };
}

/**
 * A row as saveMappings takes it (the picklist map as a JSON object).
 * @param {object} row the row
 * @returns {object} the mapping to save
 */
export function savedRowOf(row) {
    const isPicklistMap = row.transform === PICKLIST_MAP;
    return {
        mappingId: row.mappingId,
        salesforceObject: row.salesforceObject,
        salesforceField: row.salesforceField,
        telephonyField: row.telephonyField,
        direction: row.direction,
        transform: row.transform,
        picklistMap: isPicklistMap
            ? JSON.stringify(Object.fromEntries(row.pairs.map((pair) => [pair.from, pair.to])))
            : null,
        required: row.required
    };
}
