import express, { type Router } from 'express';
import { apiVersionOf } from '../http/context';
import { SCHEMA, SOBJECT_NAMES, fieldsOf, type FieldDef, type FieldType, type SObjectName } from '../org/schema';
import { sobjectFromUrl } from './params';
import type { RestContext } from './rest-context';

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  picklist: 'xsd:string',
  textarea: 'xsd:string',
  datetime: 'xsd:dateTime',
  date: 'xsd:date',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
};

const TEXT_TYPES: ReadonlySet<FieldType> = new Set([
  'string',
  'email',
  'phone',
  'picklist',
  'textarea',
  'id',
  'reference',
]);
/** Long text areas cannot be filtered, sorted or grouped in SOQL. */
const isLongText = (def: FieldDef): boolean => def.type === 'textarea' && (def.length ?? 0) > 255;

/** Objects the user may not create or delete through the API in a real org. */
const READ_MOSTLY: ReadonlySet<SObjectName> = new Set(['User']);

function objectUrls(sobject: SObjectName, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${sobject}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/** Per-object flags shared by describeGlobal entries and full describes. */
function objectFlags(sobject: SObjectName, version: string, createable = true): Record<string, unknown> {
  const def = SCHEMA[sobject];
  const writable = !READ_MOSTLY.has(sobject);
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable,
    custom: false,
    customSetting: false,
    deepCloneable: false,
    deletable: writable,
    deprecatedAndHidden: false,
    feedEnabled: sobject !== 'Task',
    hasSubtypes: false,
    idEnabled: true,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: true,
    mergeable: sobject !== 'User' && sobject !== 'Task',
    mruEnabled: true,
    name: sobject,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: writable,
    updateable: true,
    urls: objectUrls(sobject, version),
  };
}

function fieldDescribe(def: FieldDef): Record<string, unknown> {
  const text = TEXT_TYPES.has(def.type);
  const length = text ? (def.length ?? 0) : 0;
  const longText = isLongText(def);
  return {
    aggregatable: !longText,
    autoNumber: false,
    byteLength: length * 3,
    calculated: def.name === 'Name' && !def.createable,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: def.caseSensitive === true,
    compoundFieldName: null,
    controllerName: null,
    createable: def.createable,
    custom: /__p?c$/.test(def.name),
    defaultValue: null,
    defaultValueFormula: null,
    defaultedOnCreate:
      def.system === true || def.type === 'boolean' || def.name === 'OwnerId' || def.defaultValue !== undefined,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: def.type === 'int' ? 9 : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: def.externalId === true,
    extraTypeInfo: def.type === 'textarea' ? (longText ? 'plaintextarea' : null) : null,
    filterable: !longText,
    filteredLookupInfo: null,
    groupable: !longText && def.type !== 'datetime' && def.type !== 'double',
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: def.type === 'id' || def.name === 'Email' || def.name === 'Username',
    inlineHelpText: null,
    label: def.label,
    length,
    mask: null,
    maskType: null,
    name: def.name,
    nameField: def.name === 'Name',
    namePointing: def.type === 'reference' && (def.referenceTo?.length ?? 0) > 1,
    nillable: def.nillable,
    permissionable: def.nillable && !def.system,
    picklistValues: (def.picklistValues ?? []).map((value) => ({
      active: true,
      // The store applies the field's default on create (Lead Status: its first value).
      defaultValue: value === def.defaultValue,
      label: value,
      validFor: null,
      value,
    })),
    polymorphicForeignKey: def.type === 'reference' && (def.referenceTo?.length ?? 0) > 1,
    precision: def.type === 'double' ? 18 : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: def.referenceTo ?? [],
    relationshipName: def.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: false,
    scale: 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[def.type],
    sortable: !longText,
    type: def.type,
    unique: def.unique === true,
    updateable: def.updateable,
    writeRequiresMasterRead: false,
  };
}

/** Relationships from other objects' writable lookups to this one (Account → Contacts). */
function childRelationships(sobject: SObjectName, personAccounts: boolean): Record<string, unknown>[] {
  const children: Record<string, unknown>[] = [];
  for (const child of SOBJECT_NAMES) {
    for (const def of fieldsOf(child, personAccounts)) {
      if (def.type !== 'reference' || !def.createable || def.name === 'OwnerId') continue;
      if (!(def.referenceTo ?? []).includes(sobject)) continue;
      children.push({
        cascadeDelete: false,
        childSObject: child,
        deprecatedAndHidden: false,
        field: def.name,
        junctionIdListNames: [],
        junctionReferenceTo: [],
        relationshipName: SCHEMA[child].labelPlural.replace(/\s+/g, ''),
        restrictedDelete: false,
      });
    }
  }
  return children;
}

/** The full describe: Person Account fields appear only where the org has the feature. */
export function describeSObject(
  sobject: SObjectName,
  personAccounts: boolean,
  version: string,
  createable = true,
): Record<string, unknown> {
  // A user who may not create the object may create none of its fields either.
  const fields = fieldsOf(sobject, personAccounts).map((def) => (createable ? def : { ...def, createable: false }));
  return {
    ...objectFlags(sobject, version, createable),
    actionOverrides: [],
    childRelationships: childRelationships(sobject, personAccounts),
    compactLayoutable: true,
    fields: fields.map(fieldDescribe),
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [
      {
        active: true,
        available: true,
        defaultRecordTypeMapping: true,
        developerName: 'Master',
        master: true,
        name: 'Master',
        recordTypeId: '012000000000000AAA',
        urls: { layout: `/services/data/v${version}/sobjects/${sobject}/describe/layouts/012000000000000AAA` },
      },
    ],
    searchLayoutable: true,
    supportedScopes: [{ label: 'All ' + SCHEMA[sobject].labelPlural.toLowerCase(), name: 'everything' }],
  };
}

/** The versioned root: which resources this API version offers. */
function resourceList(version: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  const names = ['sobjects', 'query', 'queryAll', 'limits', 'composite', 'jobs'];
  return Object.fromEntries(names.map((name) => [name, `${base}/${name}`]));
}

/** `GET /`, `GET /sobjects` (describeGlobal), `GET /sobjects/:name`, `GET /sobjects/:name/describe`. */
export function describeRouter(ctx: RestContext): Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    res.json(resourceList(apiVersionOf(req)));
  });
  router.get('/sobjects', (req, res) => {
    const version = apiVersionOf(req);
    res.json({
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: SOBJECT_NAMES.map((name) => objectFlags(name, version, !ctx.org.store.uncreatable.has(name))),
    });
  });
  router.get('/sobjects/:name/describe', (req, res) => {
    const sobject = sobjectFromUrl(req.params.name, res);
    if (!sobject) return;
    const { store } = ctx.org;
    res.json(describeSObject(sobject, store.personAccounts, apiVersionOf(req), !store.uncreatable.has(sobject)));
  });
  router.get('/sobjects/:name', (req, res) => {
    const sobject = sobjectFromUrl(req.params.name, res);
    if (!sobject) return;
    const createable = !ctx.org.store.uncreatable.has(sobject);
    res.json({ objectDescribe: objectFlags(sobject, apiVersionOf(req), createable), recentItems: [] });
  });
  return router;
}
