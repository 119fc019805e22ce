import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_OBJECTS_DIR,
  EVENT_NAMESPACE,
  loadEventSchemas,
  packageEventSchemas,
} from '../../emulator/pubsub/eventSchemas';

const TOPIC = '/event/Switchboard_Change__e';

describe('platform event schemas from force-app', () => {
  test('the package event becomes an Avro record like the platform serves', () => {
    const event = packageEventSchemas().get(TOPIC);
    expect(event).toBeDefined();
    const fieldFiles = readdirSync(path.join(DEFAULT_OBJECTS_DIR, 'Switchboard_Change__e', 'fields'))
      .map((file) => file.replace('.field-meta.xml', ''))
      .sort();
    expect(event!.fields.map((f) => f.name).sort()).toEqual(fieldFiles);
    expect(event!.schema).toMatchObject({ type: 'record', name: 'Switchboard_Change__e', namespace: EVENT_NAMESPACE });
    const types = Object.fromEntries(event!.schema.fields.map((f) => [f.name, f.type]));
    expect(event!.schema.fields.slice(0, 2).map((f) => f.name)).toEqual(['CreatedDate', 'CreatedById']);
    expect(types).toMatchObject({
      CreatedDate: 'long',
      CreatedById: 'string',
      Payload__c: ['null', 'string'],
      Operation__c: ['null', 'string'],
      Record_Count__c: ['null', 'double'],
      Chunk_Sequence__c: ['null', 'double'],
    });
    expect(event!.fields.find((f) => f.name === 'Payload__c')).toMatchObject({ type: 'LongTextArea', length: 131072 });
    expect(JSON.parse(event!.schemaJson)).toEqual(event!.schema);
  });

  test('schema ids look like the platform ones and are stable', () => {
    const id = packageEventSchemas().get(TOPIC)!.schemaId;
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(loadEventSchemas().get(TOPIC)!.schemaId).toBe(id);
  });

  test('the Avro type round-trips an event', () => {
    const event = packageEventSchemas().get(TOPIC)!;
    const record = {
      CreatedDate: 1_700_000_000_000,
      CreatedById: '005000000000001AAA',
      Chunk_Count__c: { double: 1 },
      Chunk_Sequence__c: { double: 1 },
      Object_Name__c: { string: 'Contact' },
      Operation__c: { string: 'create' },
      Payload__c: { string: '[]' },
      Record_Count__c: { double: 0 },
      Sync_Id__c: null,
    };
    expect(event.type.fromBuffer(event.type.toBuffer(record))).toMatchObject({
      CreatedById: record.CreatedById,
      Payload__c: { string: '[]' },
    });
  });
});

describe('schema building rules', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-events-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function writeEvent(name: string, eventType: string, fields: Record<string, string>): void {
    mkdirSync(path.join(dir, name, 'fields'), { recursive: true });
    writeFileSync(
      path.join(dir, name, `${name}.object-meta.xml`),
      `<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><deploymentStatus>Deployed</deploymentStatus><eventType>${eventType}</eventType><label>${name}</label><pluralLabel>${name}</pluralLabel><publishBehavior>PublishImmediately</publishBehavior></CustomObject>`,
    );
    for (const [field, body] of Object.entries(fields)) {
      writeFileSync(
        path.join(dir, name, 'fields', `${field}.field-meta.xml`),
        `<?xml version="1.0" encoding="UTF-8"?><CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>${field}</fullName>${body}</CustomField>`,
      );
    }
  }

  test('each field type maps to its Avro type; checkboxes are not nullable', () => {
    writeEvent('Kinds__e', 'HighVolume', {
      Flag__c: '<defaultValue>true</defaultValue><type>Checkbox</type>',
      Day__c: '<type>Date</type>',
      When__c: '<type>DateTime</type>',
      Amount__c: '<precision>18</precision><scale>2</scale><type>Number</type>',
      Note__c: '<length>255</length><type>Text</type>',
      Body__c: '<length>32768</length><visibleLines>3</visibleLines><type>LongTextArea</type>',
    });
    writeFileSync(path.join(dir, 'NotAnEvent__c.txt'), 'ignored');
    const events = loadEventSchemas(dir);
    expect([...events.keys()]).toEqual(['/event/Kinds__e']);
    const event = events.get('/event/Kinds__e')!;
    expect(event.publishBehavior).toBe('PublishImmediately');
    const byName = Object.fromEntries(event.schema.fields.map((f) => [f.name, f]));
    expect(byName.Flag__c).toMatchObject({ type: 'boolean', default: true });
    expect(byName.Day__c).toMatchObject({ type: ['null', 'int'], default: null });
    expect(byName.When__c).toMatchObject({ type: ['null', 'long'], default: null });
    expect(byName.Amount__c).toMatchObject({ type: ['null', 'double'] });
    expect(byName.Note__c).toMatchObject({ type: ['null', 'string'] });
    expect(byName.Body__c).toMatchObject({ type: ['null', 'string'] });
  });

  test('unsupported field types and event types are refused with the field or event named', () => {
    writeEvent('Bad__e', 'HighVolume', { Kind__c: '<type>Picklist</type>' });
    expect(() => loadEventSchemas(dir)).toThrow("Bad__e.Kind__c: unsupported platform event field type 'Picklist'");
    rmSync(path.join(dir, 'Bad__e'), { recursive: true });
    writeEvent('Old__e', 'StandardVolume', {});
    expect(() => loadEventSchemas(dir)).toThrow(
      "Old__e: eventType must be HighVolume (the only supported type), got 'StandardVolume'",
    );
    rmSync(path.join(dir, 'Old__e'), { recursive: true });
    writeEvent('NoLength__e', 'HighVolume', { Text__c: '<type>Text</type>' });
    expect(() => loadEventSchemas(dir)).toThrow('NoLength__e.Text__c: Text needs a positive <length>');
  });

  test('a missing metadata folder is a clear error', () => {
    expect(() => loadEventSchemas(path.join(dir, 'nope'))).toThrow('platform event metadata folder not found');
  });
});
