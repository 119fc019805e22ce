import { displayPath, walkFiles } from './paths';
import { readXml, type XmlElement, type XmlNode } from './xml';

/**
 * The platform's length limits for the texts people read in the package's metadata: labels, descriptions, help
 * texts, error messages, picklist values. Source-deploy-retrieve copies these texts without looking, and the org
 * refuses the whole deploy for one over-long description (a 263-character permission set description did), so the
 * offline checks count them.
 *
 * Limits from Salesforce's Metadata API Developer Guide and the Object Reference (the field lengths of the setup
 * objects the metadata becomes: PermissionSet.Description 255, Label 80; custom object and field labels 40,
 * descriptions 1,000, inline help 510; picklist value names and labels 255; validation rule error messages 255).
 * Where a type's guide gives no number, the limit here is the smallest its setup page accepts, so a text that
 * passes here is accepted there. Counted in characters after XML entities are decoded (`&amp;` is one).
 */
export const TEXT_LIMITS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  CustomObject: { label: 40, pluralLabel: 40, description: 1000, 'nameField.label': 80 },
  CustomField: {
    label: 40,
    description: 1000,
    inlineHelpText: 510,
    relationshipLabel: 80,
    'valueSet.valueSetDefinition.value.fullName': 255,
    'valueSet.valueSetDefinition.value.label': 255,
  },
  ValidationRule: { description: 1000, errorMessage: 255 },
  ListView: { label: 40 },
  Layout: { 'layoutSections.label': 80 },
  CompactLayout: { label: 40 },
  PermissionSet: { label: 80, description: 255 },
  CustomPermission: { label: 80, description: 255 },
  CustomApplication: { label: 80, description: 255 },
  CustomTab: { label: 80, description: 255 },
  FlexiPage: { masterLabel: 80, description: 255 },
  LightningComponentBundle: { masterLabel: 80, description: 255 },
  CustomMetadata: { label: 40 },
};

/** Every text at `dotted` below `element` (lists at any step are followed). */
function textsAt(element: XmlElement, dotted: string): string[] {
  let nodes: XmlNode[] = [element];
  for (const step of dotted.split('.')) {
    const next: XmlNode[] = [];
    for (const node of nodes) {
      if (typeof node !== 'object' || Array.isArray(node)) continue;
      const child = node[step];
      if (child === undefined) continue;
      next.push(...(Array.isArray(child) ? child : [child]));
    }
    nodes = next;
  }
  return nodes.flatMap((node) => {
    if (typeof node === 'string') return [node];
    if (typeof node === 'object' && !Array.isArray(node) && typeof node['#text'] === 'string') return [node['#text']];
    return [];
  });
}

/** One line per text over its limit: file, element, length and limit. */
export function textLengthProblems(root: string): string[] {
  const problems: string[] = [];
  for (const file of walkFiles(root).filter((f) => f.endsWith('-meta.xml'))) {
    const document = readXml(file);
    const limits = TEXT_LIMITS[document.rootName];
    if (!limits) continue;
    for (const [element, limit] of Object.entries(limits)) {
      for (const text of textsAt(document.root, element)) {
        const length = text.length; // UTF-16 units, as the platform counts
        if (length > limit) {
          problems.push(
            `${displayPath(file)}: <${element}> is ${length} characters; ${document.rootName} allows ${limit}`,
          );
        }
      }
    }
  }
  return problems;
}

/** Element names people read, wherever they sit: what `TEXT_LIMITS` must cover. */
const READABLE = /^(label|pluralLabel|masterLabel|description|inlineHelpText|errorMessage|relationshipLabel|helpText)$/;

function readablePaths(node: XmlNode, prefix: string, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) readablePaths(item, prefix, found);
    return;
  }
  if (typeof node !== 'object') return;
  for (const [name, child] of Object.entries(node)) {
    if (name.startsWith('@_') || name === '#text') continue;
    const dotted = prefix ? `${prefix}.${name}` : name;
    if (READABLE.test(name)) found.add(dotted);
    readablePaths(child, dotted, found);
  }
}

/**
 * Readable texts of the package that no limit covers (`Type: element.path`): a metadata type or element added
 * later must get its limit here before it ships.
 */
export function uncoveredTexts(root: string): string[] {
  const uncovered = new Set<string>();
  for (const file of walkFiles(root).filter((f) => f.endsWith('-meta.xml'))) {
    const document = readXml(file);
    const found = new Set<string>();
    readablePaths(document.root, '', found);
    for (const dotted of found) {
      if (TEXT_LIMITS[document.rootName]?.[dotted] === undefined) uncovered.add(`${document.rootName}: ${dotted}`);
    }
  }
  return [...uncovered].sort();
}
