import { optionLabel } from 'c/switchboardUtils';
import { PICKLIST_MAP, TELEPHONY_FIELDS, TO_TELEPHONY } from './mappingOptions';

/**
 * What the mapping studio says about mapping rows before they are saved: the problems that block
 * Save, and warnings about fields the user cannot write.
 */

/** Whether a field is one of a related record (Account.Name): it can only be read, so it flows to telephony only. */
export const isRelationshipPath = (field) => Boolean(field) && field.includes('.');

/** Whether a value is missing (undefined, null or only spaces). */
export const isBlank = (value) => value === undefined || value === null || String(value).trim() === '';

/**
 * Warnings about a row's Salesforce field.
 * @param {object} row a mapping row
 * @param {object[]} [known] the field options of the row's object, once loaded
 * @returns {string[]} the warnings (the server's until the options are loaded)
 */
export function rowWarnings(row, known) {
    if (!known) {
        return row.serverWarning ? [row.serverWarning] : [];
    }
    const option = known.find((candidate) => candidate.apiName === row.salesforceField);
    if (
        option &&
        option.updateable === false &&
        row.direction !== TO_TELEPHONY &&
        !isRelationshipPath(row.salesforceField)
    ) {
        return [`${option.label} is read-only for you: it can only flow to telephony.`];
    }
    return [];
}

/**
 * Why a row cannot be saved, one sentence per problem.
 * @param {object} row a mapping row
 * @returns {string[]} the problems (none when it can be saved)
 */
export function rowProblems(row) {
    const problems = [];
    if (isBlank(row.salesforceField)) {
        problems.push('Choose a Salesforce field.');
    }
    if (isBlank(row.telephonyField)) {
        problems.push('Choose a telephony field.');
    }
    if (isRelationshipPath(row.salesforceField) && row.direction !== TO_TELEPHONY) {
        problems.push('A field of a related record can only flow to telephony.');
    }
    if (row.transform === PICKLIST_MAP) {
        if (row.mapError) {
            problems.push(row.mapError);
        }
        if (row.pairs.length === 0) {
            problems.push('Add at least one value to the picklist map.');
        }
        if (row.pairs.some((pair) => isBlank(pair.from) || isBlank(pair.to))) {
            problems.push('Fill in both values of every picklist map entry.');
        }
        const seen = new Set();
        row.pairs.forEach((pair) => {
            if (!isBlank(pair.from) && seen.has(pair.from)) {
                problems.push(`The Salesforce value "${pair.from}" is mapped more than once.`);
            }
            seen.add(pair.from);
        });
    }
    return problems;
}

/**
 * Why an object's rows cannot be saved together: a telephony field mapped more than once.
 * @param {{ label: string }} object one of OBJECTS
 * @param {object[]} rows its rows
 * @returns {string[]} the problems
 */
export function sectionProblems(object, rows) {
    const counts = {};
    rows.forEach((row) => {
        if (row.telephonyField) {
            counts[row.telephonyField] = (counts[row.telephonyField] || 0) + 1;
        }
    });
    return Object.keys(counts)
        .filter((field) => counts[field] > 1)
        .map((field) => `${optionLabel(TELEPHONY_FIELDS, field)} is mapped more than once for ${object.label}.`);
}
