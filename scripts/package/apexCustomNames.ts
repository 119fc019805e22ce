import * as fs from 'node:fs';
import { ApexLexer, ApexParserFactory } from '@apexdevtools/apex-parser';
import { objectFieldNames, readField } from './packageModel';
import { displayPath, OBJECTS_DIR } from './paths';
import { textOf } from './xml';
import { unquoteApexString } from './apexEventUsage';

/**
 * Custom API names (`X__c`, `X__r`, `X__e`, `X__mdt`) the Apex uses, in code and inline SOQL, and as
 * whole string literals (`put('X__c', ...)`), checked against the package's objects: a typo in a
 * field name otherwise surfaces only when Salesforce compiles the class.
 */

const CUSTOM_NAME = /^\w+__(c|r|e|mdt)$/i;

export interface NameUse {
  name: string;
  file: string;
  line: number;
}

/** `strings: false` leaves string literals out (test data may name fields that do not exist on purpose). */
export function customNamesIn(file: string, options: { strings: boolean } = { strings: true }): NameUse[] {
  const lexer = ApexParserFactory.createLexer(fs.readFileSync(file, 'utf8'));
  const uses: NameUse[] = [];
  for (const token of lexer.getAllTokens()) {
    const literal = options.strings && token.type === ApexLexer.StringLiteral;
    const text = literal ? unquoteApexString(token.text) : token.type === ApexLexer.Identifier ? token.text : '';
    if (CUSTOM_NAME.test(text)) uses.push({ name: text, file: displayPath(file), line: token.line });
  }
  return uses;
}

/** Every custom object, field and relationship name the package defines (lower case). */
export function packageCustomNames(objectsDir: string = OBJECTS_DIR): Set<string> {
  const names = new Set<string>();
  if (!fs.existsSync(objectsDir)) return names;
  for (const objectName of fs.readdirSync(objectsDir)) {
    if (CUSTOM_NAME.test(objectName)) names.add(objectName.toLowerCase());
    for (const field of objectFieldNames(objectName, objectsDir)) {
      names.add(field.toLowerCase());
      const relationship = textOf(readField(objectName, field, objectsDir), 'relationshipName');
      if (relationship) {
        // Parent-to-child (`Field_Mappings__r`) and child-to-parent (`Sync__r`) names.
        names.add(`${relationship}__r`.toLowerCase());
        names.add(field.replace(/__c$/i, '__r').toLowerCase());
      }
    }
  }
  return names;
}
