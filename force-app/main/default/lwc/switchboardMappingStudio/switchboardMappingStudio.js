import { LightningElement, api, wire } from 'lwc';
import LightningConfirm from 'lightning/confirm';
import { refreshApex } from '@salesforce/apex';
import getMappings from '@salesforce/apex/SwitchboardMappingController.getMappings';
import getFieldOptions from '@salesforce/apex/SwitchboardMappingController.getFieldOptions';
import saveMappings from '@salesforce/apex/SwitchboardMappingController.saveMappings';
import restoreDefaults from '@salesforce/apex/SwitchboardMappingController.restoreDefaults';
import getSync from '@salesforce/apex/SwitchboardSetupController.getSync';
import { DIRECTION_OPTIONS, errorMessage, optionLabel, toast } from 'c/switchboardUtils';

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
const TRANSFORMS = Object.freeze([
    { label: 'None', value: 'None' },
    { label: 'Phone number to E.164', value: 'E164' },
    { label: 'Trim spaces', value: 'Trim' },
    { label: 'UPPER CASE', value: 'Upper' },
    { label: 'lower case', value: 'Lower' },
    { label: 'Title Case', value: 'Title' },
    { label: 'Picklist map', value: 'PicklistMap' }
]);
const PICKLIST_MAP = 'PicklistMap';
const TO_TELEPHONY = 'ToTelephony';
// The objects mappings exist for; Person Accounts map Account fields.
const OBJECTS = [
    { name: 'Contact', label: 'Contacts', flag: 'syncContacts' },
    { name: 'Lead', label: 'Leads', flag: 'syncLeads' },
    { name: 'Account', label: 'Person Accounts', flag: 'syncPersonAccounts' }
];

// A field of a related record (Account.Name) can only be read: it flows to telephony only.
const isRelationshipPath = (field) => Boolean(field) && field.includes('.');
const isBlank = (value) => value === undefined || value === null || String(value).trim() === '';

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
 * Edits a sync's field mappings, grouped by object: which Salesforce field feeds which directory
 * field, in which direction, with which transform (picklist maps edited as value pairs). Warns about
 * fields the user cannot write, keeps the Account name (Company) flowing to telephony only, and
 * restores the shipped defaults on request. Nothing is saved until Save.
 */
export default class SwitchboardMappingStudio extends LightningElement {
    /** The sync whose mappings to edit; without it, the page's c__syncId or the first sync. */
    @api syncId;

    pickedSyncId;
    sync;
    wiredMappings;
    rows = [];
    loaded = false;
    dirty = false;
    loadError;
    fieldOptions = {};
    optionsError;
    saving = false;
    saveError;
    nextKey = 0;

    telephonyFieldOptions = TELEPHONY_FIELDS;
    directionOptions = DIRECTION_OPTIONS;
    transformOptions = TRANSFORMS;

    get activeSyncId() {
        return this.syncId || this.pickedSyncId;
    }

    get showPicker() {
        return !this.syncId;
    }

    handleSelect(event) {
        this.pickedSyncId = event.detail.syncId;
        this.loaded = false;
        this.dirty = false;
    }

    @wire(getSync, { syncId: '$activeSyncId' })
    receiveSync({ data, error }) {
        if (data) {
            this.sync = data;
            this.loadFieldOptions();
        } else if (error) {
            this.loadError = errorMessage(error);
        }
    }

    @wire(getMappings, { syncId: '$activeSyncId' })
    receiveMappings(result) {
        this.wiredMappings = result;
        const { data, error } = result;
        // Never overwrite edits that are not saved yet.
        if (data && !this.dirty) {
            this.rows = data.map((mapping) => this.toRow(mapping));
            this.loaded = true;
            this.loadError = undefined;
        } else if (error) {
            this.loadError = errorMessage(error);
        }
    }

    toRow(mapping) {
        const { pairs, mapError } = parsePicklistMap(mapping.picklistMap);
        return {
            key: `row-${this.nextKey++}`,
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

    get availableObjects() {
        return OBJECTS.filter(
            (object) => object.name !== 'Account' || (this.sync && this.sync.personAccountsAvailable)
        );
    }

    async loadFieldOptions() {
        try {
            const entries = await Promise.all(
                this.availableObjects.map(async (object) => [
                    object.name,
                    await getFieldOptions({ objectName: object.name })
                ])
            );
            this.fieldOptions = Object.fromEntries(entries);
            this.optionsError = undefined;
        } catch (error) {
            this.optionsError = errorMessage(error);
        }
    }

    // ----- what is shown -----

    get ready() {
        return this.loaded && Boolean(this.sync);
    }

    get openSections() {
        return this.availableObjects.filter((object) => this.sync[object.flag]).map((object) => object.name);
    }

    get sections() {
        return this.availableObjects.map((object) => {
            const rows = this.rows
                .filter((row) => row.salesforceObject === object.name)
                .map((row, index) => this.decorate(row, index, object));
            return {
                ...object,
                heading: this.sync[object.flag] ? object.label : `${object.label} (not synced by this sync)`,
                addLabel: `Add a ${object.name === 'Account' ? 'Person Account' : object.name} mapping`,
                rows,
                problems: this.sectionProblems(object, rows),
                empty: rows.length === 0
            };
        });
    }

    optionsFor(objectName, currentField) {
        const options = (this.fieldOptions[objectName] || []).map((option) => ({
            label: `${option.label} (${option.apiName})`,
            value: option.apiName
        }));
        if (currentField && !options.some((option) => option.value === currentField)) {
            options.push({ label: `${currentField} (not available to you)`, value: currentField });
        }
        return options;
    }

    warningsOf(row) {
        const known = this.fieldOptions[row.salesforceObject];
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

    problemsOf(row) {
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

    sectionProblems(object, rows) {
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

    decorate(row, index, object) {
        const number = index + 1;
        const locked = isRelationshipPath(row.salesforceField);
        const isPicklistMap = row.transform === PICKLIST_MAP;
        return {
            ...row,
            legend: `${object.label} mapping ${number}`,
            removeLabel: `Remove ${object.label} mapping ${number}`,
            fieldOptions: this.optionsFor(row.salesforceObject, row.salesforceField),
            locked,
            isPicklistMap,
            pairRows: row.pairs.map((pair, pairIndex) => ({
                ...pair,
                index: pairIndex,
                key: `${row.key}-pair-${pairIndex}`,
                fromLabel: `Salesforce value ${pairIndex + 1}`,
                toLabel: `Telephony value ${pairIndex + 1}`,
                removeLabel: `Remove value ${pairIndex + 1}`
            })),
            warnings: this.warningsOf(row),
            problems: this.problemsOf(row)
        };
    }

    get hasProblems() {
        return this.sections.some(
            (section) => section.problems.length || section.rows.some((row) => row.problems.length)
        );
    }

    get saveDisabled() {
        return this.saving || this.hasProblems;
    }

    // ----- editing -----

    updateRow(key, change) {
        this.rows = this.rows.map((row) => (row.key === key ? { ...row, ...change(row) } : row));
        this.dirty = true;
    }

    handleRowValue(event) {
        const { key, prop } = event.target.dataset;
        const value = event.detail.value;
        this.updateRow(key, (row) => {
            const change = { [prop]: value };
            if (prop === 'salesforceField' && isRelationshipPath(value)) {
                change.direction = TO_TELEPHONY;
            }
            if (prop === 'transform' && value === PICKLIST_MAP && row.pairs.length === 0) {
                change.pairs = [{ from: '', to: '' }];
            }
            return change;
        });
    }

    handleRequired(event) {
        const checked = event.target.checked;
        this.updateRow(event.target.dataset.key, () => ({ required: checked }));
    }

    handleRemoveRow(event) {
        const key = event.target.dataset.key;
        this.rows = this.rows.filter((row) => row.key !== key);
        this.dirty = true;
    }

    handleAddRow(event) {
        const salesforceObject = event.target.dataset.object;
        this.rows = [...this.rows, this.toRow({ salesforceObject })];
        this.dirty = true;
    }

    handlePairValue(event) {
        const { key, index, side } = event.target.dataset;
        const value = event.detail.value;
        const position = Number(index);
        this.updateRow(key, (row) => {
            const pairs = [...row.pairs];
            pairs[position] = { ...pairs[position], [side]: value };
            return { pairs, mapError: undefined };
        });
    }

    handleAddPair(event) {
        this.updateRow(event.target.dataset.key, (row) => ({ pairs: [...row.pairs, { from: '', to: '' }] }));
    }

    handleRemovePair(event) {
        const { key, index } = event.target.dataset;
        this.updateRow(key, (row) => ({ pairs: row.pairs.filter((pair, pairIndex) => pairIndex !== Number(index)) }));
    }

    // ----- saving -----

    toSaved(row) {
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

    async handleSave() {
        const available = new Set(this.availableObjects.map((object) => object.name));
        const rows = this.rows.filter((row) => available.has(row.salesforceObject)).map((row) => this.toSaved(row));
        this.saving = true;
        this.saveError = undefined;
        try {
            await saveMappings({ syncId: this.activeSyncId, rowsJson: JSON.stringify(rows) });
            this.dispatchEvent(
                toast('Mappings saved', `${rows.length} mappings saved. The service applies them at once.`)
            );
            await this.reload();
        } catch (error) {
            this.saveError = errorMessage(error);
            this.dispatchEvent(toast('Could not save the mappings', this.saveError, 'error'));
        } finally {
            this.saving = false;
        }
    }

    async handleRestoreDefaults() {
        const confirmed = await LightningConfirm.open({
            label: 'Restore the default mappings?',
            message:
                'This deletes every mapping of this sync, including unsaved changes, and goes back to the mappings Switchboard ships with. Records and directory entries are not changed until the next sync applies the defaults.',
            theme: 'warning'
        });
        if (!confirmed) {
            return;
        }
        try {
            await restoreDefaults({ syncId: this.activeSyncId });
            this.dispatchEvent(toast('Default mappings restored', 'The service applies them at once.'));
            await this.reload();
        } catch (error) {
            this.dispatchEvent(toast('Could not restore the defaults', errorMessage(error), 'error'));
        }
    }

    /** Shows what is stored now (the cached mappings are out of date after a change). */
    async reload() {
        this.dirty = false;
        try {
            await refreshApex(this.wiredMappings);
        } catch (error) {
            this.loadError = errorMessage(error);
        }
    }
}
