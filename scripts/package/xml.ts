import * as fs from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { displayPath } from './paths';

/** Metadata XML reading shared by the package checks: well-formedness, the root element, its body. */

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

export type XmlNode = string | XmlElement | XmlNode[];
export interface XmlElement {
  [name: string]: XmlNode;
}

export interface XmlDocument {
  file: string;
  rootName: string;
  /** Attributes are `@_name` keys; element text is a string (never parsed into numbers or booleans). */
  root: XmlElement;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/** Why the text is not well-formed XML (`line:col message`), or undefined when it is. */
export function xmlSyntaxError(text: string): string | undefined {
  const result = XMLValidator.validate(text);
  return result === true ? undefined : `${result.err.line}:${result.err.col} ${result.err.msg}`;
}

/** Parses a well-formed metadata file; throws naming the file otherwise. */
export function readXml(file: string): XmlDocument {
  const text = fs.readFileSync(file, 'utf8');
  const error = xmlSyntaxError(text);
  if (error) throw new Error(`${displayPath(file)}:${error}`);
  const parsed = parser.parse(text) as XmlElement;
  const roots = Object.keys(parsed).filter((key) => !key.startsWith('?'));
  if (roots.length !== 1) throw new Error(`${displayPath(file)}: expected one root element, found ${roots.length}`);
  const body = parsed[roots[0]];
  return { file, rootName: roots[0], root: typeof body === 'object' && !Array.isArray(body) ? body : {} };
}

/** An element's text (first occurrence), or undefined. */
export function textOf(element: XmlElement, name: string): string | undefined {
  const value = element[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && !Array.isArray(first) && typeof first['#text'] === 'string')
    return first['#text'];
  return undefined;
}

/** The child elements of that name, as a list whether the file has one or many. */
export function elementsOf(element: XmlElement, name: string): XmlElement[] {
  const value = element[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is XmlElement => typeof item === 'object' && !Array.isArray(item));
}
