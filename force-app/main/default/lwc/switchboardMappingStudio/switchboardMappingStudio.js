import { LightningElement, api, wire } from 'lwc';
import LightningConfirm from 'lightning/confirm';
import { refreshApex } from '@salesforce/apex';
import getMappings from '@salesforce/apex/SwitchboardMappingController.getMappings';
import getFieldOptions from '@salesforce/apex/SwitchboardMappingController.getFieldOptions';
import saveMappings from '@salesforce/apex/SwitchboardMappingController.saveMappings';
import restoreDefaults from '@salesforce/apex/SwitchboardMappingController.restoreDefaults';
import getSync from '@salesforce/apex/SwitchboardSetupController.getSync';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import FIELD_MAPPING_OBJECT from '@salesforce/schema/Switchboard_Field_Mapping__c';
import TRANSFORM_FIELD from '@salesforce/schema/Switchboard_Field_Mapping__c.Transform__c';
import { DIRECTION_OPTIONS, errorMessage, toast } from 'c/switchboardUtils';
import { OBJECTS, PICKLIST_MAP, TELEPHONY_FIELDS, TO_TELEPHONY, transformOptionsOf } from './mappingOptions';
import { isRelationshipPath, sectionProblems } from './mappingRules';
import { decoratedRow, rowOf, savedRowOf } from './mappingRows';

/** The telephony fields a Salesforce field can map to (the service's TelephonyField). */
export { TELEPHONY_FIELDS };

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
    mappingRecordTypeId;
    transformsError;
    saving = false;
    saveError;
    nextKey = 0;

    telephonyFieldOptions = TELEPHONY_FIELDS;
    directionOptions = DIRECTION_OPTIONS;
    transformOptions = [];

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

    // The transforms are the Transform__c picklist's values, read for the object's default record type.
    @wire(getObjectInfo, { objectApiName: FIELD_MAPPING_OBJECT })
    receiveMappingObject({ data, error }) {
        if (data) {
            this.mappingRecordTypeId = data.defaultRecordTypeId;
        } else if (error) {
            this.transformsError = errorMessage(error);
        }
    }

    @wire(getPicklistValues, { recordTypeId: '$mappingRecordTypeId', fieldApiName: TRANSFORM_FIELD })
    receiveTransforms({ data, error }) {
        if (data) {
            this.transformOptions = transformOptionsOf(data);
            this.transformsError = undefined;
        } else if (error) {
            this.transformsError = errorMessage(error);
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
        return rowOf(mapping, `row-${this.nextKey++}`);
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
                .map((row, index) => decoratedRow(row, index, object, this.fieldOptions));
            return {
                ...object,
                heading: this.sync[object.flag] ? object.label : `${object.label} (not synced by this sync)`,
                addLabel: `Add a ${object.name === 'Account' ? 'Person Account' : object.name} mapping`,
                rows,
                problems: sectionProblems(object, rows),
                empty: rows.length === 0
            };
        });
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

    async handleSave() {
        const available = new Set(this.availableObjects.map((object) => object.name));
        const rows = this.rows.filter((row) => available.has(row.salesforceObject)).map((row) => savedRowOf(row));
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
