/**
 * Preview-only lightning/uiObjectInfoApi: getObjectInfo and getPicklistValues as wire adapters,
 * answering in the UI API's shapes from the package's own object metadata (read from force-app at
 * build time by preview/build.ts), so the preview's picklists are the package's. Objects have only
 * their master record type; a standard object has only the fields the package adds to it. Unknown
 * objects, fields and record types answer a 404 error, as the platform does.
 */
import { MASTER_RECORD_TYPE_ID, OBJECTS } from 'virtual:switchboard-package-objects';

function notFound(message) {
    return { status: 404, body: { errorCode: 'NOT_FOUND', message }, statusText: 'Not Found', ok: false };
}

/** A schema import ({ objectApiName }) or an API name string. */
function objectNameOf(objectApiName) {
    return typeof objectApiName === 'string' ? objectApiName : objectApiName && objectApiName.objectApiName;
}

/** A schema import ({ objectApiName, fieldApiName }) or an "Object.Field" string → [object, field]. */
function fieldNameOf(fieldApiName) {
    if (typeof fieldApiName === 'string') {
        const dot = fieldApiName.indexOf('.');
        return dot > 0 ? [fieldApiName.slice(0, dot), fieldApiName.slice(dot + 1)] : [undefined, fieldApiName];
    }
    return fieldApiName ? [fieldApiName.objectApiName, fieldApiName.fieldApiName] : [undefined, undefined];
}

function objectInfo(object) {
    const fields = {};
    for (const field of Object.values(object.fields)) {
        fields[field.apiName] = {
            apiName: field.apiName,
            calculated: false,
            compound: false,
            controllingFields: [],
            createable: true,
            custom: field.apiName.endsWith('__c'),
            dataType: field.dataType,
            label: field.label,
            nameField: false,
            reference: field.dataType === 'Reference',
            referenceToInfos: [],
            relationshipName: null,
            required: field.required,
            sortable: true,
            updateable: true
        };
    }
    return {
        apiName: object.apiName,
        associateEntityType: null,
        associateParentEntity: null,
        childRelationships: [],
        createable: true,
        custom: object.custom,
        defaultRecordTypeId: MASTER_RECORD_TYPE_ID,
        deletable: true,
        dependentFields: {},
        eTag: `preview-${object.apiName}`,
        feedEnabled: false,
        fields,
        keyPrefix: null,
        label: object.label,
        labelPlural: object.labelPlural,
        layoutable: true,
        mruEnabled: false,
        nameFields: [],
        queryable: true,
        recordTypeInfos: {
            [MASTER_RECORD_TYPE_ID]: {
                available: true,
                defaultRecordTypeMapping: true,
                master: true,
                name: 'Master',
                recordTypeId: MASTER_RECORD_TYPE_ID
            }
        },
        searchable: true,
        themeInfo: null,
        updateable: true
    };
}

function picklistValue({ label, value }) {
    return { attributes: null, label, validFor: [], value };
}

function lookUpObject(objectApiName) {
    const object = Object.prototype.hasOwnProperty.call(OBJECTS, objectApiName) ? OBJECTS[objectApiName] : undefined;
    if (!object) {
        throw notFound(`The requested resource does not exist: object ${objectApiName} is not supported`);
    }
    return object;
}

/** The answer for a wire config, or undefined while a required parameter is not known yet. */
function answerObjectInfo(config) {
    const objectApiName = objectNameOf(config.objectApiName);
    return objectApiName ? objectInfo(lookUpObject(objectApiName)) : undefined;
}

function answerPicklistValues(config) {
    const [objectApiName, fieldApiName] = fieldNameOf(config.fieldApiName);
    if (!config.recordTypeId || !fieldApiName) {
        return undefined;
    }
    const object = lookUpObject(objectApiName);
    const field = Object.prototype.hasOwnProperty.call(object.fields, fieldApiName) ? object.fields[fieldApiName] : undefined;
    if (!field || !field.picklist) {
        throw notFound(`The requested resource does not exist: ${objectApiName}.${fieldApiName} is not a picklist field`);
    }
    if (config.recordTypeId !== MASTER_RECORD_TYPE_ID) {
        throw notFound(`The requested resource does not exist: record type ${config.recordTypeId} of ${objectApiName}`);
    }
    const { values, defaultValue } = field.picklist;
    const defaultEntry = values.find((value) => value.value === defaultValue);
    return {
        controllerValues: {},
        defaultValue: defaultEntry ? picklistValue(defaultEntry) : null,
        eTag: `preview-${objectApiName}-${fieldApiName}`,
        url: `/services/data/v62.0/ui-api/object-info/${objectApiName}/picklist-values/${config.recordTypeId}/${fieldApiName}`,
        values: values.map(picklistValue)
    };
}

/** Read-only like the platform's cache: a component that mutates what it got fails here too. */
function deepFreeze(value) {
    if (value && typeof value === 'object') {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}

function wireAdapter(answer) {
    return class UiApiWireAdapter {
        constructor(callback) {
            this.callback = callback;
        }

        connect() {}

        disconnect() {}

        update(config) {
            let data;
            try {
                data = answer(config || {});
            } catch (error) {
                this.emit({ data: undefined, error });
                return;
            }
            if (data !== undefined) {
                this.emit({ data: deepFreeze(JSON.parse(JSON.stringify(data))), error: undefined });
            }
        }

        emit(value) {
            // The UI API answers asynchronously.
            Promise.resolve().then(() => this.callback(value));
        }
    };
}

export const getObjectInfo = wireAdapter(answerObjectInfo);
export const getPicklistValues = wireAdapter(answerPicklistValues);
