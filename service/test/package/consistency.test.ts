import { customNamesIn, packageCustomNames } from '../../../scripts/package/apexCustomNames';
import { eventUsageIn, parseApexFiles, type ParsedApexFile } from '../../../scripts/package/apexEventUsage';
import { parseApex } from '../../../scripts/package/apexParse';
import {
  defaultMappingRecords,
  objectFieldNames,
  picklistDefault,
  picklistValues,
  readField,
  SERVICE_DIRECTION,
} from '../../../scripts/package/packageModel';
import { apexSourceFiles, displayPath } from '../../../scripts/package/paths';
import { DEFAULT_MAPPINGS } from '../../src/sync/rules/fieldMap';
import { TRANSFORMS } from '../../src/sync/rules/transforms';
import { EmulatedOrg } from '../../emulator/org/org';
import type { DmlBatch } from '../../emulator/org/store';
import { buildChangeEvents } from '../../emulator/triggers/changeTrigger';
import { DEFAULT_MAPPED_FIELDS, SYNCED_OBJECTS } from '../../emulator/triggers/mappedFields';

/**
 * The package, the service and the org emulator must agree on the event fields and the default
 * mappings: each is read from its source of truth here and compared.
 */

const CHANGE_EVENT = 'Switchboard_Change__e';
const COMMAND_EVENT = 'Switchboard_Command__e';
const FIELD_MAPPING_OBJECT = 'Switchboard_Field_Mapping__c';
const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();

describe('event fields set by the Apex = the event field files', () => {
  let allCode: ParsedApexFile[];
  let packageCode: ParsedApexFile[];
  beforeAll(() => {
    allCode = parseApexFiles(apexSourceFiles());
    packageCode = allCode.filter((file) => !file.isTest);
  });

  test.each([CHANGE_EVENT, COMMAND_EVENT])('%s: the package code sets exactly its fields', (eventName) => {
    const usage = eventUsageIn(packageCode, eventName);
    expect(usage.fieldsSet.length).toBeGreaterThan(0);
    const defined = objectFieldNames(eventName);
    expect(defined.length).toBeGreaterThan(0);
    const canonical = new Map(defined.map((name) => [name.toLowerCase(), name]));
    const unknown = usage.fieldsSet
      .filter((use) => !canonical.has(use.field.toLowerCase()))
      .map((use) => `${use.file}:${use.line} sets ${use.field}`);
    expect(unknown).toEqual([]);
    const set = sorted(usage.fieldsSet.map((use) => canonical.get(use.field.toLowerCase()) ?? use.field));
    expect(set).toEqual(defined);
  });

  test('every custom object, field and relationship name in the Apex exists in the package', () => {
    const known = packageCustomNames();
    // Tests feed deliberately unknown names (a bad mapping row) as string data: only their code counts.
    const unknown = allCode
      .flatMap((file) => customNamesIn(file.file, { strings: !file.isTest }))
      .filter((use) => !known.has(use.name.toLowerCase()))
      .map((use) => `${use.file}:${use.line} ${use.name}`);
    expect(unknown).toEqual([]);
  });
});

describe('the event field reader itself', () => {
  test('sees every way Apex sets an event field, including fields the event does not have', () => {
    const source = [
      'public with sharing class Sample {',
      '  private List<Switchboard_Change__e> events = new List<Switchboard_Change__e>();',
      '  public void build(Switchboard_Change__e given) {',
      "    Switchboard_Change__e one = new Switchboard_Change__e(Object_Name__c = 'Contact', Bogus__c = 1);",
      "    one.Payload__c = '[]';",
      "    given.put('Sync_Id__c', 'x');",
      '    events[0].Chunk_Count__c = 1;',
      "    Account unrelated = new Account(Name = 'n');",
      "    unrelated.Description = 'd';",
      '  }',
      '}',
    ].join('\n');
    const { tree, problems } = parseApex(source, 'class');
    expect(problems).toEqual([]);
    const usage = eventUsageIn([{ file: '/tmp/Sample.cls', tree, isTest: false }], CHANGE_EVENT);
    expect(usage.fieldsSet.map((use) => `${use.line} ${use.field}`)).toEqual([
      '4 Object_Name__c',
      '4 Bogus__c',
      '5 Payload__c',
      '6 Sync_Id__c',
      '7 Chunk_Count__c',
    ]);
  });
});

describe('transforms: the Transform__c picklist = the service TRANSFORMS', () => {
  const field = readField(FIELD_MAPPING_OBJECT, 'Transform__c');

  test('the picklist has exactly the transforms the service implements, None first and by default', () => {
    expect(picklistValues(field)).toEqual([...TRANSFORMS]);
    expect(picklistDefault(field)).toBe('None');
  });
});

describe('default mappings: custom metadata records = emulator = service', () => {
  const records = defaultMappingRecords();
  /** The transforms a mapping can name: the values of the field-mapping object's Transform__c picklist. */
  const transforms = picklistValues(readField(FIELD_MAPPING_OBJECT, 'Transform__c'));

  test('the records name known objects, directions and transforms, once each per object and order', () => {
    expect(records.length).toBe(24);
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const r of records) {
      const where = `record ${r.name} (${displayPath(r.file)})`;
      if (!(SYNCED_OBJECTS as readonly string[]).includes(r.sobject))
        problems.push(`${where}: Salesforce_Object__c ${r.sobject}`);
      if (!(r.direction in SERVICE_DIRECTION)) problems.push(`${where}: Direction__c ${r.direction}`);
      if (!transforms.includes(r.transform)) problems.push(`${where}: Transform__c ${r.transform}`);
      for (const key of [`field ${r.sobject}.${r.sfField}`, `order ${r.sobject} ${String(r.sortOrder)}`]) {
        if (seen.has(key)) problems.push(`${where}: duplicate ${key}`);
        seen.add(key);
      }
    }
    expect(problems).toEqual([]);
  });

  test.each(SYNCED_OBJECTS)(
    '%s: the mapped fields, in Sort_Order__c order, are the emulator trigger DEFAULT_MAPPED_FIELDS',
    (sobject) => {
      const fromRecords = records.filter((r) => r.sobject === sobject).map((r) => r.sfField);
      expect(fromRecords).toEqual(DEFAULT_MAPPED_FIELDS[sobject]);
    },
  );

  test('every record maps the same Salesforce field to the same telephony field, in the same direction, as the service DEFAULT_MAPPINGS', () => {
    const fromRecords = sorted(
      records.map(
        (r) => `${r.sobject} ${r.sfField} -> ${r.telephonyField} (${SERVICE_DIRECTION[r.direction] ?? r.direction})`,
      ),
    );
    const fromService = sorted(
      DEFAULT_MAPPINGS.map((m) => `${m.sobject} ${m.sfField} -> ${m.telephonyField} (${m.direction})`),
    );
    expect(fromRecords).toEqual(fromService);
  });
});

describe("the emulator's change events carry exactly the event's fields", () => {
  const eventFields = objectFieldNames(CHANGE_EVENT);

  /** The events the emulated trigger builds for one DML statement. */
  function eventsFor(org: EmulatedOrg, dml: () => void): Array<Record<string, unknown>> {
    const batches: DmlBatch[] = [];
    const stop = org.store.onCommit((batch) => batches.push(batch));
    try {
      dml();
    } finally {
      stop();
    }
    return batches.flatMap((batch) => buildChangeEvents(org, batch));
  }

  test.each(['create', 'update', 'delete'] as const)('%s of a Contact', (operation) => {
    const org = new EmulatedOrg({ seed: { contacts: 2, leads: 0, businessAccounts: 1, personAccounts: 0, users: 2 } });
    const contactId = org.store.idFor('Contact', 0);
    const events = eventsFor(org, () => {
      if (operation === 'create') org.store.insert('Contact', [{ LastName: 'Hopper' }], org.adminUser);
      if (operation === 'update')
        org.store.update('Contact', [{ Id: contactId, Title: 'Rear Admiral' }], org.adminUser);
      if (operation === 'delete') org.store.delete('Contact', [contactId], org.adminUser);
    });
    expect(events).toHaveLength(1);
    expect(sorted(Object.keys(events[0]))).toEqual(eventFields);
  });
});
